// What the HAProxy referee asks the real HAProxy, and what our model says it should answer: the file made
// runnable in a temporary folder (certificates, error files and unix sockets there; no chroot, user, daemon
// or syslog), and probes from chosen source addresses with the model's verdict for each.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { parseHaproxy } from '../../../src/families/haproxy/config';
import { type HaproxyConfig, type Proxy, buildConfig, hasFrontend } from '../../../src/families/haproxy/model';
import { type Outcome, candidateHosts, probeFor, serviceOutcome, statsOutcome, statsUris } from '../../../src/families/haproxy/gate';
import { formatAddress, parseRange } from '../../../src/net';

type ProbeSpec =
  | { kind: 'http'; source: string; dest: string; port: number; tls: boolean; path: string; host: string }
  | { kind: 'tcp'; source: string; dest: string; port: number; send?: string }
  | { kind: 'mode'; path: string };

export type Probe = ProbeSpec & { id: number };

export interface ProbeResult {
  id: number;
  status?: number;
  body?: string;
  data?: string;
  mode?: number;
  error?: string;
}

export interface Plan {
  haproxy: string;
  config: string;
  addresses: string[];
  servers: Array<{ host: string; port: number }>;
  probes: Probe[];
}

export type Verdict = 'served' | 'authentication' | 'stopped';

/** What the real answer must be, and how to tell it from the probe's result. */
export interface Expectation {
  probe: Probe;
  what: 'stats' | 'service' | 'runtime' | 'mode';
  expected: string;
  label: string;
}

/** A wildcard listener is reached at this address; sources are documentation, private and loopback ones. */
const WILDCARD_DESTINATION = '198.51.100.1';
const BASE_SOURCES = ['203.0.113.7', '10.1.2.3', '192.168.1.10', '127.0.0.1'];
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

/** Backend servers are played by stand-ins on loopback ports from here on (their addresses decide nothing). */
const STAND_IN_PORT = 21_000;

/**
 * The file as HAProxy can run it here: process settings dropped, files and sockets moved into `folder`,
 * and every server with an IPv4 address replaced by a stand-in on 127.0.0.1 (a wildcard `bind` on the
 * server's own port would otherwise collide with it inside the namespace).
 */
export function neutralise(text: string, folder: string, certificate: string): string {
  const source = new SourceText('/referee/haproxy.cfg', text);
  const file = parseHaproxy(source, []);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const drop = new Set(['chroot', 'user', 'group', 'uid', 'gid', 'daemon', 'pidfile', 'log', 'zero-warning', 'master-worker', 'nbproc', 'cpu-map']);
  let sockets = 0;
  let servers = 0;
  writeFileSync(path.join(folder, 'error.http'), 'HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
  for (const section of file.sections)
    for (const line of section.lines) {
      const words = line.words;
      if (section.kind === 'global' && drop.has(line.keyword)) edits.push({ start: line.span.start, end: line.span.end, text: '' });
      else if (section.kind === 'global' && line.keyword === 'stats' && words[1]?.text === 'socket' && words[2]) {
        const address = words[2].text;
        if (address.startsWith('/') || address.startsWith('unix@'))
          edits.push({ start: words[2].span.start, end: words[2].span.end, text: path.join(folder, `socket-${sockets++}.sock`) });
      } else if (line.keyword === 'server' && words[2] && /^\d+\.\d+\.\d+\.\d+:\d+$/.test(words[2].text))
        edits.push({ start: words[2].span.start, end: words[2].span.end, text: `127.0.0.1:${STAND_IN_PORT + servers++}` });
      else if (line.keyword === 'errorfile' && words[2])
        edits.push({ start: words[2].span.start, end: words[2].span.end, text: path.join(folder, 'error.http') });
      else if (line.keyword === 'bind')
        words.forEach((word, index) => {
          if (word.text === 'crt' && words[index + 1]) edits.push({ start: words[index + 1]!.span.start, end: words[index + 1]!.span.end, text: certificate });
        });
    }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** Unix socket paths neutralise() gives the global `stats socket` lines, in order. */
export function socketPaths(config: HaproxyConfig, folder: string): Map<number, string> {
  const out = new Map<number, string>();
  let index = 0;
  config.statsSockets.forEach((socket, at) => {
    if (socket.endpoint.transport === 'unix') out.set(at, path.join(folder, `socket-${index++}.sock`));
  });
  return out;
}

export function modelOf(text: string): HaproxyConfig {
  return buildConfig(parseHaproxy(new SourceText('/referee/haproxy.cfg', text), []), []);
}

function verdictOf(outcome: Outcome, address: string): Verdict | undefined {
  const value = parseRange(address)!.range.start;
  if (outcome.served.contains(value)) return 'served';
  if (outcome.authentication.contains(value)) return 'authentication';
  if (outcome.stopped.contains(value)) return 'stopped';
  return undefined;
}

/** The first IPv4 address of every `src` value the file names (a client inside each allow-list). */
function insideSources(config: HaproxyConfig): string[] {
  const out = new Set<string>();
  const visit = (criterion: string, values: Array<{ text: string }>) => {
    if (criterion !== 'src') return;
    for (const value of values) {
      const parsed = parseRange(value.text);
      if (parsed?.version === 4) out.add(formatAddress(parsed.range.start + (parsed.range.end > parsed.range.start ? 1n : 0n)));
    }
  };
  for (const proxy of config.proxies) {
    for (const terms of proxy.acls.values()) for (const term of terms) visit(term.criterion, term.values);
    const rules = [...proxy.rules, ...(proxy.stats?.rules ?? [])];
    for (const condition of [...rules.map((rule) => rule.condition), ...proxy.useBackends.map((entry) => entry.condition)])
      for (const terms of condition?.alternatives ?? []) for (const term of terms) if (term.anonymous) visit(term.anonymous.criterion, term.anonymous.values);
  }
  return [...out].filter((address) => !address.startsWith('127.')).slice(0, 8);
}

function servedBy(backend: Proxy): boolean {
  return backend.servers.some((server) => server.host !== undefined && IPV4.test(server.host) && server.port !== undefined);
}

export function buildPlan(config: HaproxyConfig, haproxy: string, configPath: string, folder: string): { plan: Plan; expectations: Expectation[] } {
  const addresses = new Set<string>([WILDCARD_DESTINATION]);
  const sources = [...BASE_SOURCES, ...insideSources(config)];
  for (const source of sources) if (!source.startsWith('127.')) addresses.add(source);
  const servers: Array<{ host: string; port: number }> = [];
  const probes: Probe[] = [];
  const expectations: Expectation[] = [];
  const add = (probe: ProbeSpec, what: Expectation['what'], expected: string, label: string) => {
    const full: Probe = { ...probe, id: probes.length };
    probes.push(full);
    expectations.push({ probe: full, what, expected, label });
  };
  // The stand-ins, in the order neutralise() numbered the servers (global sections hold none).
  for (const section of config.file.sections)
    for (const line of section.lines)
      if (line.keyword === 'server' && line.words[2] && /^\d+\.\d+\.\d+\.\d+:\d+$/.test(line.words[2].text))
        servers.push({ host: '127.0.0.1', port: STAND_IN_PORT + servers.length });
  const hosts = candidateHosts(config);
  for (const frontend of config.proxies.filter(hasFrontend))
    for (const bind of frontend.binds)
      for (const endpoint of bind.endpoints) {
        if (endpoint.transport !== 'tcp' || !endpoint.ports || endpoint.host === undefined) continue;
        const host = endpoint.host;
        const dest = host === '' || host === '*' || host === '0.0.0.0' || host === '::' ? WILDCARD_DESTINATION : host;
        if (!IPV4.test(dest)) continue;
        if (!dest.startsWith('127.')) addresses.add(dest);
        const port = endpoint.ports[0];
        for (const uri of statsUris(config, frontend))
          for (const name of hosts) {
            const outcome = statsOutcome(config, frontend, probeFor(uri, name, bind, endpoint));
            for (const source of sources) {
              const verdict = verdictOf(outcome, source);
              if (!verdict) continue;
              const label = `${frontend.kind} ${frontend.name} ${endpoint.text}${uri} Host ${name} from ${source}`;
              add({ kind: 'http', source, dest, port, tls: bind.ssl, path: uri, host: name }, 'stats', verdict, label);
            }
          }
        const request = probeFor('/', 'unknown.invalid', bind, endpoint);
        for (const { backend, outcome } of serviceOutcome(config, frontend, request)) {
          if (!servedBy(backend)) continue;
          for (const source of sources) {
            const verdict = verdictOf(outcome, source);
            if (!verdict || (verdict !== 'served' && !outcome.stopped.contains(parseRange(source)!.range.start))) continue;
            const label = `${frontend.kind} ${frontend.name} ${endpoint.text} to ${backend.name} from ${source}`;
            const expected = verdict === 'served' ? 'served' : 'stopped';
            if (frontend.mode === 'http')
              add({ kind: 'http', source, dest, port, tls: bind.ssl, path: '/', host: 'unknown.invalid' }, 'service', expected, label);
            else add({ kind: 'tcp', source, dest, port }, 'service', expected, label);
          }
        }
      }
  const unix = socketPaths(config, folder);
  config.statsSockets.forEach((socket, index) => {
    const endpoint = socket.endpoint;
    if (endpoint.transport === 'unix') {
      if (socket.mode !== undefined) add({ kind: 'mode', path: unix.get(index)! }, 'mode', socket.mode.toString(8), `stats socket ${endpoint.text} mode`);
      return;
    }
    if (endpoint.transport !== 'tcp' || !endpoint.ports || endpoint.host === undefined) return;
    const dest = ['', '*', '0.0.0.0', '::'].includes(endpoint.host) ? WILDCARD_DESTINATION : endpoint.host;
    if (!IPV4.test(dest)) return;
    if (!dest.startsWith('127.')) addresses.add(dest);
    for (const source of dest.startsWith('127.') ? ['127.0.0.1'] : ['203.0.113.7', '10.1.2.3'])
      add(
        { kind: 'tcp', source, dest, port: endpoint.ports[0], send: 'show cli level\n' },
        'runtime',
        socket.level,
        `stats socket ${endpoint.text} from ${source}`,
      );
  });
  return { plan: { haproxy, config: configPath, addresses: [...addresses], servers, probes }, expectations };
}

/** The real answer, in the model's words. */
export function observed(expectation: Expectation, result: ProbeResult | undefined): string {
  if (!result) return 'no answer';
  switch (expectation.what) {
    case 'stats':
      if (result.status === 200 && (result.body ?? '').includes('Statistics Report')) return 'served';
      if (result.status === 401) return 'authentication';
      return 'stopped';
    case 'service':
      return (result.body ?? result.data ?? '').includes('SCR-BANNER') ? 'served' : 'stopped';
    case 'runtime':
      return (result.data ?? result.error ?? '').trim();
    case 'mode':
      return result.mode === undefined ? (result.error ?? 'no socket') : result.mode.toString(8);
  }
}
