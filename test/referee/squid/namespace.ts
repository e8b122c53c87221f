// Network namespaces the referee creates for its Squids, and always deletes: `scr-squid-referee-<pid>-<n>`,
// with only a loopback interface that holds the forged client addresses. Nothing can leave a namespace: it
// has no other interface and no route.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const IP = ['/usr/sbin/ip', '/usr/bin/ip', '/sbin/ip', '/bin/ip'].find((candidate) => existsSync(candidate)) ?? '/usr/sbin/ip';
const PREFIX = 'scr-squid-referee-';
const live = new Set<string>();

export function ipInstalled(): boolean {
  return existsSync(IP);
}

function ip(args: string[], input?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(IP, args, { timeout: 20_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${String(stdout)}${String(stderr)}` }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Processes still running in a namespace (a Squid left by an interrupted run), by pid. */
function namespacePids(name: string): number[] {
  try {
    return execFileSync(IP, ['netns', 'pids', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function deleteSync(name: string): void {
  for (const pid of namespacePids(name)) {
    // Only Squid (and its helpers) or our probe client run there.
    const command = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
    if (/squid|probe-client/.test(command))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
  }
  try {
    execFileSync(IP, ['netns', 'del', name], { stdio: 'ignore' });
  } catch {
    /* already deleted */
  }
  live.delete(name);
}

process.once('exit', () => [...live].forEach(deleteSync));
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    [...live].forEach(deleteSync);
    process.exit(130);
  });

/** Deletes namespaces left by an interrupted earlier run of this referee (only ours, by name). */
export async function deleteLeftovers(): Promise<void> {
  const list = await ip(['netns', 'list']);
  for (const line of list.output.split('\n')) {
    const name = line.split(/\s+/)[0] ?? '';
    if (name.startsWith(PREFIX)) deleteSync(name);
  }
}

/** A fresh namespace with loopback up and the given client addresses on it. */
export async function createNamespace(index: number, addresses: string[]): Promise<string> {
  const name = `${PREFIX}${process.pid}-${index}`;
  deleteSync(name);
  const created = await ip(['netns', 'add', name]);
  if (created.code !== 0) throw new Error(`ip netns add ${name}: ${created.output}`);
  live.add(name);
  // Loopback addresses are on lo already.
  const own = addresses.filter((address) => !/^127\./.test(address) && address !== '::1');
  const commands = [
    'link set lo up',
    ...own.map((address) => (address.includes(':') ? `address add ${address}/128 dev lo nodad` : `address add ${address}/32 dev lo`)),
  ];
  const batch = await ip(['-n', name, '-force', '-batch', '-'], `${commands.join('\n')}\n`);
  if (batch.code !== 0) throw new Error(`configuring ${name}: ${batch.output}`);
  return name;
}

export async function deleteNamespace(name: string): Promise<void> {
  deleteSync(name);
}

/** True when no namespace of this run is left. */
export function noneLeft(): boolean {
  return live.size === 0;
}
