// mongod.conf: YAML (net.bindIp, net.bindIpAll, security.authorization, security.keyFile,
// security.clusterAuthMode), or the legacy `name = value` form of MongoDB 2.4 (bind_ip, auth, noauth, keyFile).
import { isSpaceCode } from '../../core/chars';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import { type Document, entry, isMap, parseYaml, resolved, scalarText, spanOf } from '../shared/yaml-tree';

export interface MongoValue {
  text: string;
  span: Span;
}

export interface MongodConfig {
  source: SourceText;
  form: 'yaml' | 'legacy';
  bindIp?: MongoValue;
  bindIpAll?: MongoValue;
  authorization?: MongoValue;
  keyFile?: MongoValue;
  clusterAuthMode?: MongoValue;
  /** Legacy form: `noauth = true`. */
  noauth?: MongoValue;
  /** Where `authorization: enabled` goes: the security mapping's key and the indentation of its children. */
  security?: { keySpan: Span; childIndent?: number; lineEnd: number };
}

/** Every line that is not blank or a comment is `name = value` (and there is one): read line by line, up to the first that is not. */
export function looksLegacy(text: string): boolean {
  let any = false;
  for (let at = 0; at <= text.length;) {
    const next = text.indexOf('\n', at);
    const end = next < 0 ? text.length : next;
    // Lines as split at \r?\n: a \r before the line break is not part of the line.
    const line = text.slice(at, end > at && text.charCodeAt(end - 1) === 13 && next >= 0 ? end - 1 : end);
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith('#')) {
      if (!/^\s*[A-Za-z_]+\s*=/.test(line)) return false;
      any = true;
    }
    if (next < 0) break;
    at = next + 1;
  }
  return any;
}

function parseLegacy(source: SourceText): MongodConfig {
  const config: MongodConfig = { source, form: 'legacy' };
  for (let line = 0; line < source.lineCount; line++) {
    const text = source.lineText(line);
    // `name = value`, scanned once (blanks around `=` and at the end are not part of the value).
    let i = 0;
    while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < text.length && /[A-Za-z_]/.test(text[i]!)) i++;
    const nameEnd = i;
    while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
    if (nameEnd === nameStart || text[i] !== '=') continue;
    i++;
    while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
    const written = text.slice(i).trimEnd();
    const start = source.lineStarts[line]! + i;
    const value = { text: written, span: { file: source.path, start, end: start + written.length } };
    const name = text.slice(nameStart, nameEnd).toLowerCase();
    if (name === 'bind_ip') config.bindIp = value;
    else if (name === 'bind_ip_all') config.bindIpAll = value;
    else if (name === 'auth') config.authorization = { ...value, text: /^(true|1|yes)$/i.test(value.text) ? 'enabled' : 'disabled' };
    else if (name === 'noauth') config.noauth = value;
    else if (name === 'keyfile') config.keyFile = value;
    else if (name === 'clusterauthmode') config.clusterAuthMode = value;
  }
  return config;
}

export function parseMongod(source: SourceText, problems: ParseProblem[]): MongodConfig {
  if (looksLegacy(source.text)) return parseLegacy(source);
  const config: MongodConfig = { source, form: 'yaml' };
  const yaml = parseYaml(source, problems);
  const document = yaml.documents[0];
  if (!document) return config;
  const read = (node: unknown, key: string, doc: Document): MongoValue | undefined => {
    const pair = entry(node, key, doc);
    const value = pair ? resolved(pair.value, doc) : undefined;
    const text = scalarText(value, source);
    const span = spanOf(value as { range?: [number, number, number] }, source);
    return text !== undefined && span ? { text, span } : undefined;
  };
  const root = document.contents;
  const net = entry(root, 'net', document);
  const security = entry(root, 'security', document);
  const assign = (key: 'bindIp' | 'bindIpAll' | 'authorization' | 'keyFile' | 'clusterAuthMode', value: MongoValue | undefined) => {
    if (value) config[key] = value;
  };
  assign('bindIp', read(net ? resolved(net.value, document) : undefined, 'bindIp', document));
  assign('bindIpAll', read(net ? resolved(net.value, document) : undefined, 'bindIpAll', document));
  const securityMap = security ? resolved(security.value, document) : undefined;
  assign('authorization', read(securityMap, 'authorization', document));
  assign('keyFile', read(securityMap, 'keyFile', document));
  assign('clusterAuthMode', read(securityMap, 'clusterAuthMode', document));
  const keySpan = spanOf(security?.key, source);
  if (keySpan) {
    const first = isMap(securityMap) ? securityMap.items[0] : undefined;
    const firstKey = first ? spanOf(first.key as { range?: [number, number, number] }, source) : undefined;
    config.security = {
      keySpan,
      ...(firstKey ? { childIndent: source.positionAt(firstKey.start).character } : {}),
      lineEnd: source.lineEnd(source.positionAt(keySpan.start).line),
    };
  }
  return config;
}
