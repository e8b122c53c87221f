// The packet referee's laboratory: for each case, two network namespaces this process creates (`scrfw-<pid>-<n>-t`
// holds the rules and the listeners, `-c` the probe sources), joined by a veth pair created directly inside them
// (`eth0` on both sides), with every probe address configured only inside the client namespace. Rules are
// loaded with the real tools inside the target namespace; SYNs and datagrams go from the client namespace to the
// target's address; what the listeners saw is compared with the model. Both namespaces are deleted in `finally`,
// and `removeLeftovers` deletes any of this process's namespaces that survived. Nothing runs in the root
// namespace but `ip netns add/del` and `ip link add ... netns` (which creates the pair inside the namespaces).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { formatAddress, parseRange } from '../../../src/net';
import { type IpFamily, type Protocol, type Ruleset, evaluate, universe } from '../../../src/families/shared/firewall';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const AGENT_SOURCE = path.join(__dirname, 'agent.ts');
let agentScript: string | undefined;

/** The agent compiled once to plain JavaScript (starting node with a TypeScript loader costs a second per process). */
function agent(): string {
  if (agentScript && existsSync(agentScript)) return agentScript;
  const folder = mkdtempSync(path.join(tmpdir(), 'scr-agent-'));
  const outfile = path.join(folder, 'agent.js');
  buildSync({ entryPoints: [AGENT_SOURCE], outfile, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'silent' });
  return (agentScript = outfile);
}

/** Removes the compiled agent. */
export function removeAgent(): void {
  if (agentScript) rmSync(path.dirname(agentScript), { recursive: true, force: true });
  agentScript = undefined;
}
const PREFIX = `scrfw-${process.pid}-`;

/** The target's own address (it answers ARP/ND for it) and the route every probe address takes. */
export const TARGET = { 4: '10.200.0.1', 6: 'fd5c:7f00::1' } as const;
/**
 * The target's interface name: the first one the rules name (`ens3`, `tun+` -> `tun0`), so both sides of an
 * interface match meet real packets; `eth0` when they name none. The model is told the name.
 */
export function interfaceFor(ruleset: Ruleset): string {
  for (const chain of ruleset.chains.values())
    for (const rule of chain.rules) {
      const name = rule.match.inInterface?.names.find((candidate) => candidate !== 'lo' && candidate !== '+');
      if (name && /^[\w.-]{1,14}\+?$/.test(name)) return name.endsWith('+') ? `${name.slice(0, -1)}0` : name;
    }
  return 'eth0';
}

export type LoadStep =
  | { tool: 'iptables-restore' | 'ip6tables-restore'; text: string; noflush?: boolean }
  /** ufw's own start script, run against a temporary root holding these files (paths relative to it, e.g. `etc/ufw/user.rules`). */
  | { tool: 'ufw-init'; files: Record<string, string> }
  /**
   * Any other loader (nftables, firewalld: see nftables.test.ts): `apply` runs commands inside the target
   * namespace and returns the tool's complaint or undefined; `count` says how many rules it loaded. The step
   * also opens the answers' way out itself if it needs to (no iptables OUTPUT rule is added for it).
   */
  | { tool: 'custom'; apply(run: NamespaceRun): Promise<string | undefined>; count(run: NamespaceRun): Promise<number> };

/** Runs a command inside the case's target namespace. */
export type NamespaceRun = (command: string[], input?: string) => Promise<{ stdout: string; stderr: string; status: number }>;

export interface RefereeCase {
  name: string;
  load: LoadStep[];
  /** One part per address family the load sets up (ufw loads IPv4 and IPv6 at once). */
  parts: CasePart[];
}

export interface CasePart {
  family: IpFamily;
  ruleset: Ruleset;
  probes: ProbePlan;
}

export interface ProbePlan {
  sources: string[];
  ports: Record<Protocol, number[]>;
}

export interface CaseResult {
  name: string;
  families: IpFamily[];
  /** The real tool refused the rules (message). */
  loadError?: string;
  rulesLoaded: number;
  probes: number;
  compared: number;
  unknown: number;
  disagreements: string[];
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

async function inside(
  ns: string,
  command: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; stderr: string; status: number }> {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', ns, ...command], { cwd: ROOT, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ stdout, stderr, status: status ?? -1 }));
    // A tool that exits before reading its input (it refused its arguments) must not crash the test.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Deletes namespaces this process created and left behind (a crash between add and del). */
export async function removeLeftovers(): Promise<void> {
  const { stdout } = await run('ip', ['netns', 'list']).catch(() => ({ stdout: '' }));
  for (const line of stdout.split('\n')) {
    const name = line.split(' ')[0];
    if (name?.startsWith(PREFIX)) await ip('netns', 'del', name).catch(() => undefined);
  }
}

let counter = 0;

/** Creates the pair, runs `body`, and deletes both namespaces whatever happens. */
async function withNamespaces<T>(
  device: string,
  sources: ReadonlyArray<{ family: IpFamily; addresses: readonly string[] }>,
  body: (target: string, client: string) => Promise<T>,
): Promise<T> {
  const id = counter++;
  const target = `${PREFIX}${id}-t`;
  const client = `${PREFIX}${id}-c`;
  try {
    await ip('netns', 'add', target);
    await ip('netns', 'add', client);
    await ip('link', 'add', device, 'netns', target, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', client);
    for (const [ns, name] of [
      [target, device],
      [client, 'eth0'],
    ] as const) {
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('-n', ns, 'link', 'set', name, 'up');
    }
    for (const { family, addresses } of sources) {
      const v6 = family === 6 ? ['-6'] : [];
      const bits = family === 6 ? 128 : 32;
      const nodad = family === 6 ? ['nodad'] : [];
      await ip('-n', target, ...v6, 'addr', 'add', `${TARGET[family]}/${bits}`, 'dev', device, ...nodad);
      await ip('-n', target, ...v6, 'route', 'add', 'default', 'dev', device);
      // Every probe source lives only in the client namespace.
      for (const source of addresses) await ip('-n', client, ...v6, 'addr', 'add', `${source}/${bits}`, 'dev', 'eth0', ...nodad);
      await ip('-n', client, ...v6, 'route', 'add', `${TARGET[family]}/${bits}`, 'dev', 'eth0');
    }
    // Static neighbour entries: address resolution (ARP, and IPv6 neighbour discovery, which a DROP policy
    // without ICMPv6 rules would block) is not what is being refereed, only the first packet of a connection.
    const mac = async (ns: string, name: string) =>
      (JSON.parse((await run('ip', ['-n', ns, '-j', 'link', 'show', 'dev', name])).stdout) as { address: string }[])[0]!.address;
    const [targetMac, clientMac] = [await mac(target, device), await mac(client, 'eth0')];
    for (const { family, addresses } of sources) {
      const v6 = family === 6 ? ['-6'] : [];
      for (const source of addresses) await ip('-n', target, ...v6, 'neigh', 'replace', source, 'lladdr', clientMac, 'dev', device, 'nud', 'permanent');
      await ip('-n', client, ...v6, 'neigh', 'replace', TARGET[family], 'lladdr', targetMac, 'dev', 'eth0', 'nud', 'permanent');
    }
    return await body(target, client);
  } finally {
    await ip('netns', 'del', client).catch(() => undefined);
    await ip('netns', 'del', target).catch(() => undefined);
  }
}

/** Loads the steps with the real tools; undefined when they accept everything, otherwise their complaint. */
async function load(target: string, steps: readonly LoadStep[], families: readonly IpFamily[]): Promise<string | undefined> {
  for (const step of steps) {
    if (step.tool === 'custom') {
      const refused = await step.apply((command, input) => inside(target, command, input === undefined ? {} : { input }));
      if (refused) return refused;
      continue;
    }
    if (step.tool === 'ufw-init') {
      const root = mkdtempSync(path.join(tmpdir(), 'scr-ufw-'));
      try {
        for (const [relative, content] of Object.entries(step.files)) {
          mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
          writeFileSync(path.join(root, relative), content);
        }
        mkdirSync(path.join(root, 'lib/ufw'), { recursive: true });
        copyFileSync(UFW_FUNCTIONS, path.join(root, 'lib/ufw/ufw-init-functions'));
        const result = await inside(target, [UFW_INIT, '--rootdir', root, '--datadir', root, 'start']);
        if (result.status !== 0) return `ufw-init: ${(result.stdout + result.stderr).trim()}`;
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
      continue;
    }
    const args = step.noflush ? ['-n'] : [];
    const result = await inside(target, [step.tool, ...args], { input: step.text });
    if (result.status !== 0) return `${step.tool}: ${result.stderr.trim()}`;
  }
  if (steps.some((step) => step.tool === 'custom')) return undefined;
  // OUTPUT is opened so that an answer (SYN-ACK) never hides what INPUT did.
  for (const family of families) await inside(target, [family === 6 ? 'ip6tables' : 'iptables', '-I', 'OUTPUT', '1', '-j', 'ACCEPT']);
  return undefined;
}

async function rulesLoaded(target: string, family: IpFamily): Promise<number> {
  const saved = await inside(target, [family === 6 ? 'ip6tables-save' : 'iptables-save']);
  // The OUTPUT rule the referee adds is not the case's.
  return saved.stdout.split('\n').filter((line) => line.startsWith('-A ')).length - 1;
}

export const UFW_INIT = '/lib/ufw/ufw-init';
export const UFW_FUNCTIONS = '/lib/ufw/ufw-init-functions';

function startListener(target: string, ports: ProbePlan['ports']): Promise<{ child: ChildProcess; seen: Set<string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', target, process.execPath, agent(), 'listen', ports.tcp.join(','), ports.udp.join(',')], { cwd: ROOT });
    const seen = new Set<string>();
    let buffer = '';
    let ready = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line === 'ready') {
          ready = true;
          resolve({ child, seen });
        } else seen.add(line);
      }
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', () => {
      if (!ready) reject(new Error(`listener did not start: ${stderr}`));
    });
  });
}

/** Runs one case: load, listen, probe, compare. */
export async function runCase(refereeCase: RefereeCase): Promise<CaseResult> {
  const families = refereeCase.parts.map((part) => part.family);
  const result: CaseResult = { name: refereeCase.name, families, rulesLoaded: 0, probes: 0, compared: 0, unknown: 0, disagreements: [] };
  const device = interfaceFor(refereeCase.parts[0]!.ruleset);
  const sources = refereeCase.parts.map((part) => ({ family: part.family, addresses: part.probes.sources }));
  const ports = { tcp: union(refereeCase.parts.map((part) => part.probes.ports.tcp)), udp: union(refereeCase.parts.map((part) => part.probes.ports.udp)) };
  return withNamespaces(device, sources, async (target, client) => {
    const refused = await load(target, refereeCase.load, families);
    if (refused) {
      result.loadError = refused;
      return result;
    }
    const custom = refereeCase.load.find((step) => step.tool === 'custom');
    if (custom) result.rulesLoaded = await custom.count((command, input) => inside(target, command, input === undefined ? {} : { input }));
    else for (const family of families) result.rulesLoaded += await rulesLoaded(target, family);
    const { child, seen } = await startListener(target, ports);
    const work = mkdtempSync(path.join(tmpdir(), 'scr-probe-'));
    try {
      const probes = refereeCase.parts.flatMap((part) =>
        part.probes.sources.flatMap((source) =>
          (['tcp', 'udp'] as const).flatMap((protocol) => part.probes.ports[protocol].map((port) => ({ source, target: TARGET[part.family], protocol, port }))),
        ),
      );
      writeFileSync(path.join(work, 'probes.json'), JSON.stringify(probes));
      const sent = await inside(client, [process.execPath, agent(), 'probe', path.join(work, 'probes.json')]);
      if (!sent.stdout.includes('done')) throw new Error(`prober failed: ${sent.stderr}`);
      // The model's verdicts, worked out once: the wait uses them, then the comparison.
      const judged = refereeCase.parts.map((part) => ({ part, verdicts: judgedProbes(part, device) }));
      await arrivals(
        seen,
        judged.flatMap(({ verdicts }) => verdicts.filter((probe) => probe.verdict === 'accept').map((probe) => probe.keys)),
      );
      result.probes = probes.length;
      for (const { part, verdicts } of judged) compare(refereeCase.name, part.family, verdicts, seen, result);
      return result;
    } finally {
      child.kill();
      rmSync(work, { recursive: true, force: true });
    }
  });
}

/**
 * Waits for the listener to report what it was sent. The kernel completes a TCP handshake before the listener
 * (another process) accepts and reports it, so on a busy machine reports come late: waiting a fixed 150 ms once
 * read as "the kernel did not deliver it" for the last probes sent. This waits until every probe the model says
 * is delivered has been reported (or 10 s), then 150 ms more for deliveries the model does not expect.
 */
async function arrivals(seen: Set<string>, expected: string[][]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !expected.every((keys) => keys.some((key) => seen.has(key)))) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 150));
}

interface JudgedProbe {
  protocol: 'tcp' | 'udp';
  port: number;
  source: string;
  /** The listener's report of it, under either spelling of the source. */
  keys: [string, string];
  verdict?: string;
}

/** Every probe of a case part with the model's verdict on it (undefined when no outcome covers its source). */
function judgedProbes(part: CasePart, device: string): JudgedProbe[] {
  const { family, probes: plan } = part;
  const destination = parseAddress(TARGET[family]);
  const out: JudgedProbe[] = [];
  for (const protocol of ['tcp', 'udp'] as const)
    for (const port of plan.ports[protocol]) {
      const outcomes = evaluate(part.ruleset, { family, protocol, port, inInterface: device, destination }, universe(family));
      for (const source of plan.sources) {
        const address = parseAddress(source);
        const verdict = outcomes.find((candidate) => candidate.sources.contains(address))?.verdict;
        out.push({
          protocol,
          port,
          source,
          keys: [`${protocol} ${port} ${source}`, `${protocol} ${port} ${formatAddress(address)}`],
          ...(verdict ? { verdict } : {}),
        });
      }
    }
  return out;
}

function union(lists: number[][]): number[] {
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}

function compare(name: string, family: CasePart['family'], judged: readonly JudgedProbe[], seen: Set<string>, result: CaseResult): void {
  for (const probe of judged) {
    if (!probe.verdict || probe.verdict === 'unknown') {
      result.unknown++;
      continue;
    }
    result.compared++;
    const reached = probe.keys.some((key) => seen.has(key));
    if ((probe.verdict === 'accept') !== reached)
      result.disagreements.push(
        `${name}: IPv${family} ${probe.protocol}/${probe.port} from ${probe.source}: model says ${probe.verdict}, the kernel ${reached ? 'delivered it' : 'did not deliver it'}`,
      );
  }
}

/** Runs cases `parallelism` at a time (each in its own namespace pair). */
export async function runCases(cases: readonly RefereeCase[], parallelism: number): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      results[index] = await runCase(cases[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallelism) }, worker));
  return results;
}

function parseAddress(text: string): bigint {
  return parseRange(text)!.range.start;
}

/** The tools the referee needs, and which are missing. */
export function missingTools(): string[] {
  const tools = ['/usr/sbin/ip', '/usr/sbin/iptables-restore', '/usr/sbin/ip6tables-restore', '/usr/sbin/iptables-save', UFW_INIT, UFW_FUNCTIONS];
  return tools.filter((tool) => !existsSync(tool) && !existsSync(tool.replace('/usr/sbin/', '/sbin/')));
}
