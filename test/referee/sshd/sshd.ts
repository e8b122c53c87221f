// Runs Debian's sshd in test mode only (`sshd -t`, `sshd -T -C …`): it reads a configuration, prints what it
// would use and exits. Nothing listens. Host keys are generated into a temporary folder; as root, sshd runs as
// nobody so that it does not need /run/sshd (its privilege-separation folder) and leaves the machine untouched.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Client } from '../../../src/families/sshd/match';

export const SSHD = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((candidate) => existsSync(candidate));
const NOBODY = 65534;

export interface SshdAnswer {
  ok: boolean;
  output: string;
}

/** Limits how many sshd processes run at once (the machine is shared). */
class Limiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly max: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

export class SshdHarness {
  readonly folder: string;
  private readonly hostKey: string;
  private readonly asRoot = process.getuid?.() === 0;
  private readonly limiter = new Limiter(4);
  private counter = 0;

  constructor() {
    this.folder = mkdtempSync(path.join(tmpdir(), 'scr-sshd-'));
    chmodSync(this.folder, 0o755);
    this.hostKey = path.join(this.folder, 'host_ed25519_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'referee', '-f', this.hostKey]);
    if (this.asRoot) chownSync(this.hostKey, NOBODY, NOBODY);
  }

  /** A fresh folder for one configuration tree, readable by the user sshd runs as. */
  newTree(): string {
    const folder = path.join(this.folder, `t${this.counter++}`);
    mkdirSync(folder, { mode: 0o755 });
    return folder;
  }

  write(file: string, text: string): void {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, text, { mode: 0o644 });
  }

  private run(args: string[]): Promise<SshdAnswer> {
    return this.limiter.run(
      () =>
        new Promise((resolve) => {
          execFile(
            SSHD!,
            [...args, '-h', this.hostKey],
            { cwd: this.folder, timeout: 20_000, ...(this.asRoot ? { uid: NOBODY, gid: NOBODY } : {}) },
            (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}` }),
          );
        }),
    );
  }

  /** `sshd -t -f FILE`: whether sshd would start with this configuration. */
  check(config: string): Promise<SshdAnswer> {
    return this.run(['-t', '-f', config]);
  }

  /** `sshd -T -f FILE [-C spec]`: the options sshd would use, keyword -> the values printed after it. */
  async dump(config: string, spec?: string): Promise<{ ok: boolean; options: Map<string, string[]>; output: string }> {
    const answer = await this.run(['-T', '-f', config, ...(spec ? ['-C', spec] : [])]);
    const options = new Map<string, string[]>();
    for (const line of answer.output.split('\n')) {
      const match = /^([a-z0-9]+) (.*)$/.exec(line);
      if (!match) continue;
      const list = options.get(match[1]!) ?? [];
      list.push(match[2]!);
      options.set(match[1]!, list);
    }
    return { ok: answer.ok, options, output: answer.output };
  }

  dispose(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** The `-C` test specification for a client; undefined when a value cannot be written in one (a comma). */
export function testSpec(client: Client): string | undefined {
  const parts: string[] = [];
  if (client.user !== undefined) parts.push(`user=${client.user}`);
  if (client.host !== undefined) parts.push(`host=${client.host}`);
  if (client.address !== undefined) parts.push(`addr=${client.address}`);
  if (client.localAddress !== undefined) parts.push(`laddr=${client.localAddress}`);
  if (client.localPort !== undefined) parts.push(`lport=${client.localPort}`);
  if (client.rdomain !== undefined) parts.push(`rdomain=${client.rdomain}`);
  if (parts.some((part) => part.includes(',') || part.endsWith('='))) return undefined;
  return parts.join(',');
}

/** The groups getgrouplist() gives a user of this machine (primary and supplementary), none for unknown users. */
export function systemGroups(user: string | undefined): string[] {
  if (user === undefined) return [];
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'));
  const entry = passwd.find((fields) => fields[0] === user);
  if (!entry) return [];
  const groups = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 4);
  const out: string[] = [];
  const primary = groups.find((fields) => fields[2] === entry[3]);
  if (primary) out.push(primary[0]!);
  for (const fields of groups) if (fields[3]!.split(',').includes(user) && !out.includes(fields[0]!)) out.push(fields[0]!);
  return out;
}

/** The users of this machine, in /etc/passwd order. */
export function systemUsers(): string[] {
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':')[0]!)
    .filter((name) => name !== '');
}
