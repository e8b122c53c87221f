import { type TextRef, modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { firstXmlElement } from '../../core/sniff';
import type { SourceText } from '../../core/source';
import type { FileAccess } from '../../core/types';
import { basename, dirname, folderEntries, joinPath, readSource } from '../shared/paths';
import type { FirewalldConf, FirewalldSetup } from './setup';
import type * as Setup from './setup';
import type { ServiceDefinition } from './services';
import type * as Services from './services';
import type { Zone } from './zone';
import type * as ZoneReader from './zone';
import type { XmlProblem } from './xml';
import type * as Xml from './xml';
import type { FirewalldModel } from './packet';
import type * as Packet from './packet';
import type { ServiceFacts } from '../shared/firewall';
import type * as Firewall from '../shared/firewall';
import { parseRange } from '../../net';

/** The readers and the packet model, loaded with the first firewalld file, not at start-up (issue 16). */
let loaded:
  { setup: typeof Setup; services: typeof Services; zone: typeof ZoneReader; xml: typeof Xml; packet: typeof Packet; firewall: typeof Firewall } | undefined;
function fwd(): NonNullable<typeof loaded> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  loaded ??= {
    setup: require('./setup') as typeof Setup,
    services: require('./services') as typeof Services,
    zone: require('./zone') as typeof ZoneReader,
    xml: require('./xml') as typeof Xml,
    packet: require('./packet') as typeof Packet,
    firewall: require('../shared/firewall') as typeof Firewall,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return loaded;
}

/** What the firewalld checks read: the setup the linted file belongs to, and its packet models. */
export class FirewalldConfig {
  private models = new Map<4 | 6, FirewalldModel>();

  constructor(
    readonly setup: FirewalldSetup,
    /** The zone the linted file defines (undefined when firewalld.conf is linted). */
    readonly zone: Zone | undefined,
    /** The linted file's text (suggestions rewrite elements of it). */
    readonly source: SourceText,
    /** Services configured beside the firewall (compose, redis.conf, …): findings name what listens behind a port. */
    readonly services: ServiceFacts = { services: [], sources: [] },
  ) {}

  get linted(): string {
    return this.setup.linted;
  }

  model(family: 4 | 6): FirewalldModel {
    let model = this.models.get(family);
    if (!model) this.models.set(family, (model = fwd().packet.buildModel(this.setup, family)));
    return model;
  }
}

export const firewalldModel = modelKey<FirewalldConfig>('firewalld');

const MAX_ZONE_FILES = 128;
const MAX_ZONE_NAME = 17;

function xmlProblem(problem: XmlProblem): ParseProblem {
  const messages: Record<XmlProblem['kind'], TextRef> = {
    unclosed: text('firewalld.xml-unclosed', { name: problem.name ?? '' }),
    mismatched: text('firewalld.xml-unclosed', { name: problem.name ?? '' }),
    'stray-close': text('firewalld.xml-stray-close', { name: problem.name ?? '' }),
    'bad-tag': text('firewalld.xml-bad-tag'),
    'no-root': text('firewalld.xml-no-root'),
    'several-roots': text('firewalld.xml-several-roots'),
    unterminated: text('firewalld.xml-unterminated'),
  };
  return { span: problem.span, message: messages[problem.kind] };
}

/** Reads one zone file; problems are collected only for the linted file. */
function zoneFrom(source: SourceText, problems: ParseProblem[]): Zone | undefined {
  const { root, problems: xml } = fwd().xml.parseXml(source.path, source.text);
  problems.push(...xml.map(xmlProblem));
  if (!root) return undefined;
  if (root.name !== 'zone') {
    problems.push({ span: root.tagSpan, message: text('firewalld.not-a-zone', { name: root.name }) });
    return undefined;
  }
  const name = basename(source.path).replace(/\.xml$/i, '');
  // firewalld names nftables chains after the zone and refuses longer names (INVALID_NAME, max 17). Only a file
  // in a zones folder is named as firewalld will see it (a zone file on its own may be a renamed copy).
  if (basename(dirname(source.path)) === 'zones' && name.length > MAX_ZONE_NAME)
    problems.push({ span: root.tagSpan, message: text('firewalld.zone-name-too-long', { name, length: name.length, max: MAX_ZONE_NAME }) });
  return fwd().zone.readZone(name, source.path, root, problems);
}

export function parseConf(source: SourceText): FirewalldConf {
  const entries: FirewalldConf['entries'] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const raw = source.lineText(line);
    // firewalld.conf(5): KEY=value lines; lines starting with # are comments.
    // The value is the rest of the line without its trailing white space (a linear split: the single regex
    // `(.*?)\s*$` backtracks cubically on runs of white space).
    const head = /^(\s*)([A-Za-z0-9_]+)(\s*=\s*)/.exec(raw);
    const value = head ? raw.slice(head[0].length).trimEnd() : '';
    if (!head || /[\n\r\u2028\u2029]/.test(value)) continue;
    const keyStart = source.lineStarts[line]! + head[1]!.length;
    const valueStart = keyStart + head[2]!.length + head[3]!.length;
    entries.push({
      key: head[2]!,
      value,
      span: { file: source.path, start: keyStart, end: valueStart + value.length },
      valueSpan: { file: source.path, start: valueStart, end: valueStart + value.length },
    });
  }
  return { file: source.path, entries };
}

async function projectServices(files: FileAccess, folder: string): Promise<Map<string, ServiceDefinition>> {
  const out = new Map<string, ServiceDefinition>();
  for (const path of ((await folderEntries(files, folder, (name) => name.endsWith('.xml'))) ?? []).slice(0, MAX_ZONE_FILES)) {
    const source = await readSource(files, path);
    const root = source ? fwd().xml.parseXml(path, source.text).root : undefined;
    if (root?.name === 'service') out.set(basename(path).replace(/\.xml$/i, ''), fwd().services.readService(root));
  }
  return out;
}

/**
 * The firewalld folder a file belongs to: `<base>/zones/x.xml` and `<base>/firewalld.conf` belong to `<base>`
 * (a copy of /etc/firewalld, or /usr/lib/firewalld); a zone file elsewhere stands alone.
 */
async function loadSetup(source: SourceText, files: FileAccess, problems: ParseProblem[]): Promise<FirewalldConfig> {
  const isConf = basename(source.path) === 'firewalld.conf';
  const folder = dirname(source.path);
  const inZonesFolder = !isConf && basename(folder) === 'zones';
  const base = isConf ? folder : inZonesFolder ? dirname(folder) : folder;
  const confSource = isConf ? source : await readSource(files, joinPath(base, 'firewalld.conf'));
  const conf = confSource ? parseConf(confSource) : undefined;
  const zones: Zone[] = [];
  let linted: Zone | undefined;
  if (!isConf) {
    linted = zoneFrom(source, problems);
    if (linted) zones.push(linted);
  }
  const zonesFolder = isConf ? joinPath(base, 'zones') : inZonesFolder ? folder : undefined;
  if (zonesFolder)
    for (const path of ((await folderEntries(files, zonesFolder, (name) => name.endsWith('.xml'))) ?? []).slice(0, MAX_ZONE_FILES)) {
      if (path === source.path) continue;
      const sibling = await readSource(files, path);
      const zone = sibling ? zoneFrom(sibling, []) : undefined;
      if (zone) zones.push(zone);
    }
  const services = await projectServices(files, joinPath(base, 'services'));
  const standalone = linted && !inZonesFolder && !conf && linted.sources.length === 0 && linted.interfaces.length === 0 ? linted.name : undefined;
  const setup = fwd().setup.FirewalldSetup.build(zones, conf, services, source.path, standalone);
  if (linted) problems.push(...validate(linted, setup));
  const defaultEntry = fwd().setup.confValue(conf, 'DefaultZone');
  if (isConf && defaultEntry && !setup.zones.has(defaultEntry.value))
    problems.push({ span: defaultEntry.valueSpan, message: text('firewalld.unknown-default-zone', { zone: defaultEntry.value }) });
  return new FirewalldConfig(setup, linted, source, await fwd().firewall.findServiceFacts(source.path, files));
}

const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'dccp']);

/** Values firewalld refuses when it loads the zone (checked with `firewall-offline-cmd --check-config`). */
function validate(zone: Zone, setup: FirewalldSetup): ParseProblem[] {
  const out: ParseProblem[] = [];
  for (const service of zone.services)
    if (service.span && !setup.service(service.value)) out.push({ span: service.span, message: text('firewalld.unknown-service', { name: service.value }) });
  for (const port of [...zone.ports, ...zone.sourcePorts, ...zone.forwardPorts]) {
    if (!port.span) continue;
    if (!fwd().packet.portSpec(port.port)) out.push({ span: port.span, message: text('firewalld.bad-port', { port: port.port }) });
    else if (!PORT_PROTOCOLS.has(port.protocol)) out.push({ span: port.span, message: text('firewalld.bad-protocol', { protocol: port.protocol }) });
  }
  for (const source of zone.sources)
    if (source.span && source.kind === 'address' && !parseRange(source.value))
      out.push({ span: source.span, message: text('firewalld.bad-address', { address: source.value }) });
  for (const rule of zone.rules) {
    for (const end of [rule.source, rule.destination])
      if (end?.kind === 'address') {
        const parsed = parseRange(end.value);
        if (!parsed || (rule.family && parsed.version !== (rule.family === 'ipv4' ? 4 : 6)))
          out.push({ span: end.span, message: text('firewalld.bad-address', { address: end.value }) });
      }
    const element = rule.element;
    if (element?.kind === 'service' && !setup.service(element.name))
      out.push({ span: element.span, message: text('firewalld.unknown-service', { name: element.name }) });
    if (
      (element?.kind === 'port' || element?.kind === 'source-port' || element?.kind === 'forward-port') &&
      (!fwd().packet.portSpec(element.port) || !PORT_PROTOCOLS.has(element.protocol))
    )
      out.push({ span: element.span, message: text('firewalld.bad-port', { port: `${element.port}/${element.protocol}` }) });
  }
  return out;
}

export const firewalldZone: FormatHandler<FirewalldConfig> = {
  id: 'firewalld-zone',
  model: firewalldModel,
  label: text('firewalld.zone-label'),
  // XML has no line comments: suppression comments (`# secure-config-review-disable…`) cannot be written here.
  commentPrefix: '<!--',
  commentSuffix: '-->',
  detectByName: (path) => /(^|\/)firewalld\/zones\/[^/]+\.xml$/i.test(path),
  detectByContent: (head) => firstXmlElement(head) === 'zone',
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const config = await loadSetup(source, context.files, problems);
    return { model: config, problems, sources: [source, ...config.services.sources] };
  },
};

export const firewalldConf: FormatHandler<FirewalldConfig> = {
  id: 'firewalld-conf',
  model: firewalldModel,
  label: text('firewalld.conf-label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => baseName === 'firewalld.conf',
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const config = await loadSetup(source, context.files, problems);
    return { model: config, problems, sources: [source, ...config.services.sources] };
  },
};

/** A service definition of the project (/etc/firewalld/services/x.xml): what firewalld refuses in it. */
export const firewalldService: FormatHandler<FirewalldConfig> = {
  id: 'firewalld-service',
  model: firewalldModel,
  label: text('firewalld.service-label'),
  commentPrefix: '<!--',
  commentSuffix: '-->',
  detectByName: (path) => /(^|\/)firewalld\/services\/[^/]+\.xml$/i.test(path),
  detectByContent: (head) => firstXmlElement(head) === 'service',
  async load(source) {
    const problems: ParseProblem[] = [];
    const { root, problems: xml } = fwd().xml.parseXml(source.path, source.text);
    problems.push(...xml.map(xmlProblem));
    if (root && root.name !== 'service') problems.push({ span: root.tagSpan, message: text('firewalld.not-a-service', { name: root.name }) });
    if (root?.name === 'service')
      for (const child of root.children) {
        if (child.name !== 'port' && child.name !== 'source-port') continue;
        const port = child.attributes.find((attr) => attr.name === 'port')?.value ?? '';
        const protocol = child.attributes.find((attr) => attr.name === 'protocol')?.value ?? '';
        // `<port port="" protocol="esp"/>` names a whole protocol (ipsec.xml); a port needs tcp, udp, sctp or dccp.
        if (port ? !fwd().packet.portSpec(port) || !PORT_PROTOCOLS.has(protocol) : !protocol)
          problems.push({ span: child.span, message: text('firewalld.bad-port', { port: `${port}/${protocol}` }) });
      }
    const setup = fwd().setup.FirewalldSetup.build([], undefined, new Map(), source.path);
    return { model: new FirewalldConfig(setup, undefined, source), problems, sources: [source] };
  },
};

export const firewalldFormats: FormatHandler<unknown>[] = [firewalldZone, firewalldConf, firewalldService];
