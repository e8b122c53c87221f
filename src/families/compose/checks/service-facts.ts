// What a compose service is and how it is reachable: shared by the compose checks.
import { type EditSpec, type RelatedSpec, type TextRef, text } from '../../../core/check';
import type { ComposeProject, ComposeService } from '../formats';
import type { PortEntry } from '../ports';
import { type WellKnown, wellKnownImage, wellKnownPort, wellKnownProgram } from '../../shared/well-known';
import { reachOf } from '../../shared/listen-address';
import type { Container } from '../../shared/datastore-auth';
import { containerAuthentication } from '../../shared/datastores';
import { publishedPortView } from '../../ufw/docker-view';
import type { AddressSet } from '../../../net';

const kinds = new WeakMap<ComposeService, { kind: WellKnown | undefined }>();

/** What the service runs, judged once per service (each check asks; the services are built afresh each lint). */
export function serviceKind(service: ComposeService): WellKnown | undefined {
  let known = kinds.get(service);
  if (!known) {
    known = { kind: judgeKind(service) };
    kinds.set(service, known);
  }
  return known.kind;
}

/** What each image reference names, kept between lints (most files name a few images many times); at most IMAGES_KEPT. */
const imageKinds = new Map<string, WellKnown | undefined>();
const IMAGES_KEPT = 10_000;

function imageKind(reference: string): WellKnown | undefined {
  if (imageKinds.has(reference)) return imageKinds.get(reference);
  if (imageKinds.size >= IMAGES_KEPT) imageKinds.clear();
  const known = wellKnownImage(reference);
  imageKinds.set(reference, known);
  return known;
}

function judgeKind(service: ComposeService): WellKnown | undefined {
  if (service.image) {
    const known = imageKind(service.image.text);
    if (known) return known;
  }
  const program = service.command?.[0] ?? service.entrypoint?.[0];
  const byProgram = program ? wellKnownProgram(program.text) : undefined;
  if (byProgram) return byProgram;
  if (service.image) return undefined;
  // A service built from a local Dockerfile: its well-known container port is the best evidence.
  for (const entry of service.ports)
    for (const port of entry.spec.containerPorts) {
      const known = wellKnownPort(port);
      if (known) return known;
    }
  return undefined;
}

export interface ExposedPort {
  entry: PortEntry;
  scope: 'all-interfaces' | 'public-address';
}

/** Published ports that bind every interface (no host address, 0.0.0.0, ::) or a public address. */
export function exposedPorts(service: ComposeService): ExposedPort[] {
  if (service.networkMode && service.networkMode.text !== 'bridge' && !service.networkMode.text.startsWith('default')) return [];
  const out: ExposedPort[] = [];
  for (const entry of service.ports) {
    if (entry.hostIpUnknown) continue;
    const host = entry.spec.hostIp;
    const reach = host === '' ? 'all-interfaces' : reachOf(host);
    if (reach === 'all-interfaces' || reach === 'public-address') out.push({ entry, scope: reach });
  }
  return out;
}

export function isHostNetwork(service: ComposeService): boolean {
  return service.networkMode?.text === 'host';
}

/** Reachable from other hosts: a port published beyond loopback, or the host's own network stack. */
export function serviceExposed(service: ComposeService): boolean {
  return isHostNetwork(service) || exposedPorts(service).length > 0;
}

export interface AuthState {
  disabled: boolean;
  reasons: TextRef[];
  related: RelatedSpec[];
}

const byName = new WeakMap<ComposeService, Map<string, ComposeService['environment'][number]>>();

/** The service's variables by name (the first definition of each, as a lookup by name finds it), built once. */
function environmentByName(service: ComposeService): Map<string, ComposeService['environment'][number]> {
  let map = byName.get(service);
  if (!map) {
    map = new Map();
    for (const variable of service.environment) if (!map.has(variable.name)) map.set(variable.name, variable);
    byName.set(service, map);
  }
  return map;
}

const states = new WeakMap<ComposeService, { project: ComposeProject; kind: WellKnown | undefined; state: AuthState }>();

/** Whether the datastore in this service accepts clients without authentication, and the evidence (judged by its family), once per service and project. */
export function authState(project: ComposeProject, service: ComposeService, kind: WellKnown | undefined): AuthState {
  const known = states.get(service);
  if (known && known.project === project && known.kind === kind) return known.state;
  const state = judgeAuth(project, service, kind);
  states.set(service, { project, kind, state });
  return state;
}

function judgeAuth(project: ComposeProject, service: ComposeService, kind: WellKnown | undefined): AuthState {
  const container: Container = {
    nameSpan: service.nameSpan,
    ...(service.image ? { image: service.image } : {}),
    command: service.command ?? [],
    env: (name) => environmentByName(service).get(name),
  };
  const files = { redis: project.redis.get(service.name), mongodb: project.mongod.get(service.name), elasticsearch: project.elasticsearch.get(service.name) };
  const { open, evidence } = containerAuthentication(kind?.kind, container, files);
  return { disabled: open === 'yes', reasons: evidence.map(({ reason }) => reason), related: evidence.map(({ span, reason }) => ({ span, message: reason })) };
}

/**
 * The message part about the workspace's ufw/iptables rules. Docker forwards published ports before INPUT, so
 * INPUT rules never filter them; for a published entry the firewall model says what INPUT would have done
 * (a closed INPUT is a false reassurance) and whether DOCKER-USER, which Docker does consult, filters the port.
 */
export function firewallNote(project: ComposeProject, entry?: PortEntry, trusted?: AddressSet): { data: TextRef | string; related: RelatedSpec[] } {
  const firewall = project.firewall;
  if (!firewall) return { data: '', related: [] };
  const name = firewall.path.slice(firewall.path.lastIndexOf('/') + 1);
  const whole = { span: { file: firewall.path, start: 0, end: Math.max(0, firewall.lineEnd(0)) }, message: text('compose.firewall-rules-not-applied') };
  const hostPort = Number(entry?.spec.hostPort);
  const containerPort = entry?.spec.containerPorts[0];
  const view =
    project.firewallView && entry && Number.isInteger(hostPort) && hostPort > 0 && containerPort !== undefined
      ? publishedPortView(project.firewallView, entry.spec.protocol === 'udp' ? 'udp' : 'tcp', hostPort, containerPort, trusted)
      : undefined;
  if (view?.docker === 'filtered')
    return {
      data: text('compose.firewall-docker-user-filters', { file: name, count: view.dockerPublic.toLocaleString('en-US') }),
      related: view.dockerSpan?.file === firewall.path ? [{ span: view.dockerSpan, message: text('compose.firewall-docker-user-here') }] : [whole],
    };
  if (view?.input === 'closed' && view.docker === 'open')
    return {
      data: text('compose.firewall-input-closed-bypassed', { file: name, port: String(hostPort) }),
      related: [view.inputSpan?.file === firewall.path ? { span: view.inputSpan, message: text('compose.firewall-closes-here') } : whole],
    };
  return { data: text('compose.firewall-bypassed', { file: name }), related: [whole] };
}

/** Publishes the port on loopback only: `127.0.0.1:` before a short entry, `host_ip: 127.0.0.1` in a long one. */
export function bindLoopbackEdit(entry: PortEntry, project: ComposeProject): EditSpec | undefined {
  const source = project.sources.find((file) => file.path === entry.span.file);
  if (!source) return undefined;
  if (entry.syntax === 'long') {
    if (entry.hostIpSpan) return { span: entry.hostIpSpan, newText: '127.0.0.1' };
    if (entry.longFirstLineEnd === undefined || entry.longKeyColumn === undefined) return undefined;
    return {
      span: { file: source.path, start: entry.longFirstLineEnd, end: entry.longFirstLineEnd },
      newText: `\n${' '.repeat(entry.longKeyColumn)}host_ip: 127.0.0.1`,
    };
  }
  const written = source.text.slice(entry.contentSpan.start, entry.contentSpan.end);
  if (written.includes('$')) return undefined;
  const host = entry.spec.hostIp;
  let replacement: string;
  if (host === '') replacement = entry.spec.hostPort === '' ? `127.0.0.1::${written}` : `127.0.0.1:${written}`;
  else if (written.startsWith(`[${host}]:`)) replacement = `127.0.0.1:${written.slice(host.length + 3)}`;
  else if (written.startsWith(`${host}:`)) replacement = `127.0.0.1:${written.slice(host.length + 1)}`;
  else return undefined;
  // An unquoted value gains quotes: YAML 1.1 readers take 22:22-like plain scalars for base-60 numbers.
  return entry.quoted ? { span: entry.contentSpan, newText: replacement } : { span: entry.span, newText: `"${replacement}"` };
}
