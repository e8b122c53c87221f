// Running Debian's Exim and Sendmail from their unpacked packages (see mail-tools.sh). Each command runs in
// fresh namespaces (`unshare -m -n -u`): no network at all (no DNS, nothing can leave), its own host name
// (Sendmail waits a minute for an unqualified one), and a private /etc/passwd and /etc/group with the users
// the programs are built for or configurations name (Debian-exim, smmta, smmsp, …) bind-mounted over the real ones, so the machine's
// files are never changed.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
export const TOOLS = path.join(REPO, '.cache/referee-tools/root');
export const EXIM = path.join(TOOLS, 'usr/sbin/exim4');
export const UPDATE_EXIM4_CONF = path.join(TOOLS, 'usr/sbin/update-exim4.conf');
export const EXIM_CONFIG = path.join(TOOLS, 'etc/exim4');
export const SENDMAIL = path.join(TOOLS, 'usr/libexec/sendmail/sendmail');
export const MAKEMAP = path.join(TOOLS, 'usr/libexec/sendmail/makemap');
export const SENDMAIL_SHARE = path.join(TOOLS, 'usr/share/sendmail');
const FETCH = path.join(__dirname, 'mail-tools.sh');

const USERS: ReadonlyArray<[name: string, id: number]> = [
  ['Debian-exim', 64_990],
  ['smmta', 64_991],
  ['smmsp', 64_992],
  // Users that upstream sendmail examples name (DefaultUser, TrustedUser).
  ['mailnull', 64_993],
  ['smtrust', 64_994],
  ['cyrus', 64_995],
];

/** Fetches and unpacks the packages when they are not there yet; returns a reason when it cannot. */
export function ensureTools(programs: string[]): string | undefined {
  if (programs.every((program) => existsSync(program))) return undefined;
  try {
    execFileSync('bash', [FETCH], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  } catch (error) {
    return `fetching the packages failed (${FETCH}): ${String(error)}`;
  }
  const missing = programs.filter((program) => !existsSync(program));
  return missing.length ? `still missing after ${FETCH}: ${missing.join(', ')}` : undefined;
}

/** The reason these referees cannot run here, or undefined. */
export function sandboxProblem(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the referee must run as root (namespaces, bind mounts)';
  try {
    execFileSync('unshare', ['-m', '-n', '-u', 'true'], { stdio: 'ignore' });
  } catch {
    return 'unshare -m -n -u does not work here';
  }
  return undefined;
}

/** True when no folder from `folder` up to `/` is writable by everyone (sticky /tmp included). */
function safePath(folder: string): boolean {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    try {
      if ((statSync(current).mode & 0o002) !== 0) return false;
    } catch {
      return false;
    }
    if (current === path.dirname(current)) return true;
  }
}

/**
 * Sendmail refuses class and map files below a world-writable directory (DontBlameSendmail is not ours to
 * set: it would change the configuration under test), so scratch files must sit on a path no one else can
 * write. The repository's git-ignored .cache when the checkout is on such a path; otherwise /run, which is
 * root's. Each sandbox's folder is removed when it is done, so nothing stays behind.
 */
function scratchRoot(): string {
  const repositoryCache = path.join(REPO, '.cache/referee-scratch');
  if (safePath(REPO)) {
    mkdirSync(repositoryCache, { recursive: true, mode: 0o755 });
    return repositoryCache;
  }
  return '/run';
}

export class Sandbox {
  /** On a path no one else can write (see scratchRoot). */
  readonly folder = mkdtempSync(path.join(scratchRoot(), 'mail-referee-'));
  private readonly passwd = path.join(this.folder, 'passwd');
  private readonly group = path.join(this.folder, 'group');
  private readonly wrapper = path.join(this.folder, 'enter.sh');

  constructor() {
    // The daemons drop to their own users: they must be able to reach the scratch files.
    chmodSync(this.folder, 0o755);
    const passwd = readFileSync('/etc/passwd', 'utf8');
    const group = readFileSync('/etc/group', 'utf8');
    const addUsers = USERS.filter(([name]) => !new RegExp(`^${name}:`, 'm').test(passwd));
    const addGroups = USERS.filter(([name]) => !new RegExp(`^${name}:`, 'm').test(group));
    writeFileSync(this.passwd, passwd + addUsers.map(([name, id]) => `${name}:x:${id}:${id}::/nonexistent:/usr/sbin/nologin\n`).join(''));
    writeFileSync(this.group, group + addGroups.map(([name, id]) => `${name}:x:${id}:\n`).join(''));
    writeFileSync(
      this.wrapper,
      `#!/bin/sh\nhostname referee.invalid && mount --bind '${this.passwd}' /etc/passwd && mount --bind '${this.group}' /etc/group && exec "$@"\n`,
      { mode: 0o755 },
    );
  }

  /** Runs a program inside the namespaces; never rejects. */
  run(program: string, args: string[], input = '', timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(
        'unshare',
        ['-m', '-n', '-u', this.wrapper, program, ...args],
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      // A program that does not read its input (exim -bP) may exit before it is written.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
    });
  }

  /**
   * An SMTP dialogue with a program on its standard input and output (`sendmail -bs`): each command is
   * sent once the previous reply is complete, as a client would. Returns everything the program wrote.
   */
  dialogue(program: string, args: string[], commands: string[], timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve) => {
      const child = spawn('unshare', ['-m', '-n', '-u', this.wrapper, program, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      let pending = '';
      let next = 0;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdin.on('error', () => undefined);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        pending += chunk.toString();
        // A reply is complete at a line "NNN text" (no dash after the code).
        while (/^\d{3} .*\r?\n/m.test(pending)) {
          pending = pending.slice(pending.search(/^\d{3} .*\r?\n/m)).replace(/^.*\r?\n/, '');
          if (next < commands.length) child.stdin.write(`${commands[next++]}\r\n`);
          else child.stdin.end();
        }
      });
      child.on('close', () => {
        clearTimeout(timer);
        resolve(output);
      });
    });
  }

  remove(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** Runs `tasks` at most `limit` at a time (CI has two cores). */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit = 2): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
