// A compose project as the checks see it: services with their ports, environment, command and mounts,
// every value with the span it was written at. Override files are merged the way `docker compose` does.
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import {
  type Document,
  type Node,
  type Pair,
  type Scalar,
  containsAlias,
  entry,
  isMap,
  isScalar,
  isSeq,
  mapPairs,
  parseYaml,
  resolved,
  scalarText,
  seqItems,
  spanOf,
  innerSpan,
} from '../shared/yaml-tree';
import { NodeModels } from '../shared/model-reuse';
import { interpolate } from './interpolate';
import { type PortEntry, parseShortPort } from './ports';

export interface ComposeValue {
  text: string;
  span: Span;
}

export interface EnvEntry {
  name: string;
  /** After interpolation; undefined when it depends on a variable with no value here. */
  value?: string;
  /** Where the value is written (the whole entry for list items without a value). */
  span: Span;
  /** Set when the value comes from `${VAR:-default}`: the variables whose defaults applied. */
  defaulted: string[];
  /** `KEY: value` (map), `- KEY=value` (list; the span then covers only the value), or a line of an env_file. */
  form: 'map' | 'list' | 'env-file';
  /** For form 'env-file': the `env_file` entry of the compose file that reads it. */
  envFile?: ComposeValue;
}

export interface Mount {
  source: string;
  target: string;
  span: Span;
}

export interface ComposeService {
  name: string;
  nameSpan: Span;
  image?: ComposeValue;
  ports: PortEntry[];
  networkMode?: ComposeValue;
  environment: EnvEntry[];
  command?: ComposeValue[];
  entrypoint?: ComposeValue[];
  mounts: Mount[];
  envFiles: ComposeValue[];
}

/** Splits a shell-form command the way Compose does (quotes group words; no variable expansion). */
export function splitCommand(text: string, start: number, file: string, exact: boolean): ComposeValue[] {
  const out: ComposeValue[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const value = match[1] ?? match[2] ?? match[3]!;
    const span = exact ? { file, start: start + match.index, end: start + match.index + match[0].length } : { file, start, end: start + text.length };
    out.push({ text: value, span });
  }
  return out;
}

export interface ParseContext {
  source: SourceText;
  document: Document;
  env: ReadonlyMap<string, string>;
  problems: ParseProblem[];
}

function text(node: Node | undefined, context: ParseContext): ComposeValue | undefined {
  const value = scalarText(node, context.source);
  const span = spanOf(node as { range?: [number, number, number] }, context.source);
  return value !== undefined && span ? { text: value, span } : undefined;
}

function commandOf(node: Node | undefined, context: ParseContext): ComposeValue[] | undefined {
  if (isSeq(node))
    return seqItems(node, context.document)
      .map((item) => text(item, context))
      .filter((item): item is ComposeValue => item !== undefined);
  if (isScalar(node)) {
    const raw = scalarText(node, context.source) ?? '';
    const inner = innerSpan(node, context.source);
    if (!inner) return undefined;
    const exact = context.source.text.slice(inner.start, inner.end) === raw;
    return splitCommand(raw, inner.start, context.source.path, exact);
  }
  return undefined;
}

function portsOf(node: Node | undefined, context: ParseContext): PortEntry[] {
  const items = isSeq(node) ? seqItems(node, context.document) : node ? [node] : [];
  const out: PortEntry[] = [];
  for (const item of items) {
    const span = spanOf(item as { range?: [number, number, number] }, context.source);
    if (!span) continue;
    if (isScalar(item)) {
      const raw = scalarText(item, context.source) ?? '';
      const value = interpolate(raw, context.env);
      // An unknown part after the host address (a port variable) does not hide where it binds.
      const hostUnknown = value.unknown && /^\$\{?[A-Za-z_]\w*(:?-[^}]*)?\}?:.*:/.test(raw) && interpolate(raw.split(':')[0]!, context.env).unknown;
      const spec = parseShortPort(value.text.replace(/^:+/, '') || raw);
      if (!spec) continue;
      out.push({
        spec,
        span,
        syntax: 'short',
        contentSpan: innerSpan(item as Scalar, context.source) ?? span,
        quoted: (item as Scalar).type !== 'PLAIN',
        hostIpUnknown: hostUnknown,
      });
      continue;
    }
    if (!isMap(item)) continue;
    const get = (key: string) => {
      const pair = entry(item, key, context.document);
      return pair ? resolved(pair.value, context.document) : undefined;
    };
    const target = scalarText(get('target'), context.source);
    if (!target) continue;
    const hostIpNode = get('host_ip');
    const hostIpRaw = scalarText(hostIpNode, context.source) ?? '';
    const hostIp = interpolate(hostIpRaw, context.env);
    const spec = parseShortPort(`${target}/${scalarText(get('protocol'), context.source) ?? 'tcp'}`);
    if (!spec) continue;
    spec.hostIp = hostIp.text;
    spec.hostPort = interpolate(scalarText(get('published'), context.source) ?? '', context.env).text;
    const firstKey = spanOf(mapPairs(item, context.document)[0]?.key, context.source);
    const hostIpSpan = spanOf(hostIpNode as { range?: [number, number, number] }, context.source);
    // The finding points at the mapping's first line (`- target: 5432`), not at the whole block.
    const firstLineEnd = firstKey ? context.source.lineEnd(context.source.positionAt(firstKey.start).line) : span.end;
    out.push({
      spec,
      span: firstKey ? { ...span, start: firstKey.start, end: Math.min(span.end, firstLineEnd) } : span,
      syntax: 'long',
      contentSpan: span,
      quoted: false,
      ...(hostIpSpan ? { hostIpSpan } : {}),
      ...(firstKey
        ? {
            longKeyColumn: context.source.positionAt(firstKey.start).character,
            longFirstLineEnd: context.source.lineEnd(context.source.positionAt(firstKey.start).line),
          }
        : {}),
      hostIpUnknown: hostIp.unknown,
    });
  }
  return out;
}

function environmentOf(node: Node | undefined, context: ParseContext): EnvEntry[] {
  const out: EnvEntry[] = [];
  const add = (name: string, raw: string | undefined, span: Span, form: 'map' | 'list') => {
    if (raw === undefined) {
      out.push({ name, span, defaulted: [], form });
      return;
    }
    const value = interpolate(raw, context.env);
    out.push({ name, ...(value.unknown ? {} : { value: value.text }), span, defaulted: value.defaulted, form });
  };
  if (isMap(node)) {
    for (const pair of mapPairs(node, context.document)) {
      const value = resolved(pair.value, context.document);
      const span = spanOf(value as { range?: [number, number, number] }, context.source) ?? spanOf(pair.key, context.source)!;
      add(
        String(pair.key.value),
        value === undefined || (isScalar(value) && value.value === null) ? undefined : scalarText(value, context.source),
        span,
        'map',
      );
    }
  } else if (isSeq(node)) {
    for (const item of seqItems(node, context.document)) {
      const raw = scalarText(item, context.source);
      const span = innerSpan(item as Scalar, context.source);
      if (raw === undefined || !span) continue;
      const equals = raw.indexOf('=');
      if (equals < 0) add(raw, undefined, span, 'list');
      else add(raw.slice(0, equals), raw.slice(equals + 1), { ...span, start: span.start + equals + 1 }, 'list');
    }
  }
  return out;
}

function mountsOf(node: Node | undefined, context: ParseContext): Mount[] {
  const out: Mount[] = [];
  for (const item of seqItems(node, context.document)) {
    const span = spanOf(item as { range?: [number, number, number] }, context.source);
    if (!span) continue;
    if (isScalar(item)) {
      const value = interpolate(scalarText(item, context.source) ?? '', context.env);
      const parts = value.text.split(':');
      if (value.unknown || parts.length < 2) continue;
      out.push({ source: parts[0]!, target: parts[1]!, span });
    } else if (isMap(item)) {
      const source = scalarText(resolved(entry(item, 'source', context.document)?.value, context.document), context.source);
      const target = scalarText(resolved(entry(item, 'target', context.document)?.value, context.document), context.source);
      if (source && target) out.push({ source: interpolate(source, context.env).text, target, span });
    }
  }
  return out;
}

export function parseComposeServices(source: SourceText, env: ReadonlyMap<string, string>, problems: ParseProblem[]): ComposeService[] {
  const yaml = parseYaml(source, problems);
  const document = yaml.documents[0];
  if (!document) return [];
  const context: ParseContext = { source, document, env, problems };
  const services = entry(document.contents, 'services', document);
  const out: ComposeService[] = [];
  // A service whose YAML the next lint reuses (text unchanged, no alias to elsewhere) is kept with it, for
  // the same variables; offsets are moved on reuse.
  let inputs: string | undefined;
  for (const pair of mapPairs(services ? resolved(services.value, document) : undefined, document)) {
    inputs ??= [...env].map(([name, value]) => `${name}\u0000${value}`).join('\u0001');
    const service = builtServices.get(
      pair.key,
      document,
      source.path,
      inputs,
      () => serviceOf(pair, context),
      () => !containsAlias(pair.value),
    );
    // A copy: the loader replaces fields of the services it is given (env_file variables), never the kept one's.
    out.push({ ...service });
  }
  return out;
}

/** Services by the YAML key that names them (absolute offsets: spans and a long port entry's `longFirstLineEnd`). */
const builtServices = new NodeModels<ComposeService>(['longFirstLineEnd']);

function serviceOf(pair: Pair<Scalar, unknown>, context: ParseContext): ComposeService {
  const { source, document, env } = context;
  const definition = resolved(pair.value, document);
  const get = (key: string) => {
    const found = entry(definition, key, document);
    return found ? resolved(found.value, document) : undefined;
  };
  const image = text(get('image'), context);
  const networkMode = text(get('network_mode'), context);
  const command = commandOf(get('command'), context);
  const entrypoint = commandOf(get('entrypoint'), context);
  const envFileNode = get('env_file');
  const envFiles = (isSeq(envFileNode) ? seqItems(envFileNode, document) : envFileNode ? [envFileNode] : [])
    .map((item) => (isMap(item) ? text(resolved(entry(item, 'path', document)?.value, document), context) : text(item, context)))
    .filter((item): item is ComposeValue => item !== undefined);
  return {
    name: String(pair.key.value),
    nameSpan: spanOf(pair.key, source)!,
    ...(image ? { image: { ...image, text: interpolate(image.text, env).text } } : {}),
    ports: portsOf(get('ports'), context),
    ...(networkMode ? { networkMode } : {}),
    environment: environmentOf(get('environment'), context),
    ...(command ? { command } : {}),
    ...(entrypoint ? { entrypoint } : {}),
    mounts: mountsOf(get('volumes'), context),
    envFiles,
  };
}

/** docker compose's merge of an override file: scalars replace, ports and volumes add, environment merges by name. */
export function mergeServices(base: ComposeService[], override: ComposeService[]): ComposeService[] {
  const merged = new Map(base.map((service) => [service.name, { ...service }]));
  for (const extra of override) {
    const into = merged.get(extra.name);
    if (!into) {
      merged.set(extra.name, { ...extra });
      continue;
    }
    const overridden = new Set(extra.environment.map((variable) => variable.name));
    merged.set(extra.name, {
      ...into,
      ...(extra.image ? { image: extra.image } : {}),
      ...(extra.networkMode ? { networkMode: extra.networkMode } : {}),
      ...(extra.command ? { command: extra.command } : {}),
      ...(extra.entrypoint ? { entrypoint: extra.entrypoint } : {}),
      ports: [...into.ports, ...extra.ports],
      mounts: [...into.mounts, ...extra.mounts],
      envFiles: [...into.envFiles, ...extra.envFiles],
      environment: [...into.environment.filter((variable) => !overridden.has(variable.name)), ...extra.environment],
    });
  }
  return [...merged.values()];
}
