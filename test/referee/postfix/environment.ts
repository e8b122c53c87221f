// The real Postfix on this machine: finding it, running postconf with a timeout, and the fixed
// scratch directories that `postfix -c DIR` accepts. postfix(1) refuses a -c DIR that the default
// main.cf does not list in alternate_config_directories, and temp names are random, so the referee
// uses a few fixed slot directories and lists exactly those.
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';

export const POSTCONF = '/usr/sbin/postconf';
export const POSTFIX = '/usr/sbin/postfix';
export const SCRATCH_ROOT = '/tmp/secure-config-review-referee';
export const SLOT_COUNT = 3;
export const slotDirectory = (slot: number) => path.join(SCRATCH_ROOT, `slot-${slot}`);
/**
 * An instance's queue and data live beside its config directory, not inside: postfix-script's
 * start-up check flags every non-root file under the config directory, one postlog call each.
 */
export const queueDirectory = (configDirectory: string) => `${configDirectory}.queue`;
export const dataDirectory = (configDirectory: string) => `${configDirectory}.data`;
/** The instance's maillog (maillog_file = /dev/stdout, and stdout is this file). */
export const logFile = (configDirectory: string) => `${configDirectory}.log`;
const DEFAULT_MAIN_CF = '/etc/postfix/main.cf';

export function postfixInstalled(): boolean {
  return existsSync(POSTCONF) && existsSync(POSTFIX);
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], timeoutMs = 20_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (error && error.killed ? `\n(killed after ${timeoutMs} ms)` : '') });
    });
  });
}

export async function postconf(directory: string, args: string[]): Promise<CommandResult> {
  return run(POSTCONF, ['-c', directory, ...args]);
}

/** postconf's warnings, with the scratch directory replaced by DIR so runs compare. */
export function warningsOf(stderr: string, directory: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /warning|fatal|error/i.test(line))
    .map((line) =>
      line
        .split(directory)
        .join('DIR')
        .replace(/^postconf: /, ''),
    );
}

/**
 * Lists the slot directories in /etc/postfix/main.cf's alternate_config_directories, creating the file
 * when it is missing. Idempotent; never removes anything already listed.
 */
export async function authoriseSlots(): Promise<void> {
  const slots = Array.from({ length: SLOT_COUNT }, (_, slot) => slotDirectory(slot));
  if (!existsSync(DEFAULT_MAIN_CF)) {
    await fs.writeFile(
      DEFAULT_MAIN_CF,
      '# Written by the secure-config-review referee tests (test/referee/postfix): lets `postfix -c DIR`\n' +
        '# run throw-away instances from these scratch directories. No mail service is configured here.\n' +
        `compatibility_level = 3.6\nalternate_config_directories = ${slots.join(' ')}\n`,
    );
    return;
  }
  const current = await run(POSTCONF, ['-h', 'alternate_config_directories']);
  const listed = current.stdout.split(/[\s,]+/).filter(Boolean);
  const missing = slots.filter((slot) => !listed.includes(slot));
  if (missing.length === 0) return;
  const result = await run(POSTCONF, ['-e', `alternate_config_directories=${[...listed, ...missing].join(' ')}`]);
  if (result.code !== 0) throw new Error(`cannot update ${DEFAULT_MAIN_CF}: ${result.stderr}`);
}

/**
 * Writes a file dated a minute ago. Postfix's table loader waits out the current second when a file was
 * changed within it (a guard against reading a file mid-write), which costs ~1.5 s per fresh file.
 */
export async function writeAged(file: string, text: string): Promise<void> {
  await fs.writeFile(file, text);
  const past = new Date(Date.now() - 60_000);
  await fs.utimes(file, past, past);
}

export async function removeSlot(directory: string): Promise<void> {
  for (const folder of [directory, queueDirectory(directory), dataDirectory(directory), logFile(directory)])
    await fs.rm(folder, { recursive: true, force: true });
}

/** Empties a slot: stops any Postfix left running from it by an interrupted run, then removes it. */
export async function resetSlot(slot: number): Promise<string> {
  const directory = slotDirectory(slot);
  // Instances keep their queue (and master.pid) inside the slot; see instance.ts.
  const pidFile = path.join(queueDirectory(directory), 'pid', 'master.pid');
  if (existsSync(pidFile)) {
    // Left by an interrupted run: master's process group (setsid) holds it and its children.
    const pid = Number.parseInt(await fs.readFile(pidFile, 'utf8'), 10);
    // Only if that pid is still a Postfix master (a pid can be reused by an unrelated process).
    const command = pid > 1 ? await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') : '';
    try {
      if (command.startsWith('/usr/lib/postfix/sbin/master')) process.kill(-pid, 'SIGKILL');
    } catch {
      /* not running */
    }
  }
  await removeSlot(directory);
  await fs.mkdir(directory, { recursive: true, mode: 0o755 });
  return directory;
}
