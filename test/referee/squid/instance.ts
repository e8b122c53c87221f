// A throw-away Squid for one case, inside its own network namespace. The case's files (already written by
// cases.ts) get the directives that would make Squid listen elsewhere, write elsewhere or start helpers
// commented out, and a referee block appended to squid.conf; see README.md for why none of this can change
// an http_access answer.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SquidConfig } from '../../../src/families/squid/model';
import { PROBE_DESTINATION } from '../../../src/families/squid/access';
import { IP } from './namespace';
import { SQUID } from './squid-parse';
import type { Answer, Probe } from './probe-client';

/** Directives the copy comments out: listeners, files and helpers (never an acl or an access rule). */
const NEUTRALISED = new Set([
  'http_port',
  'https_port',
  'ftp_port',
  'icp_port',
  'htcp_port',
  'snmp_port',
  'pid_filename',
  'cache_log',
  'access_log',
  'cache_store_log',
  'coredump_dir',
  'cache_effective_user',
  'cache_effective_group',
  'hosts_file',
  'dns_nameservers',
  'cache_dir',
  'workers',
  'pinger_enable',
  'logfile_daemon',
  'url_rewrite_program',
  'store_id_program',
  'redirect_program',
  'sslcrtd_program',
  'visible_hostname',
  'udp_incoming_address',
  'tcp_outgoing_address',
]);

const PROXY_UID = () => Number(/^proxy:[^:]*:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'))?.[1] ?? 13);
const PROXY_GID = () => Number(/^proxy:[^:]*:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'))?.[2] ?? 13);

/** Comments out the neutralised directives in the written files (each physical line of a continued one). */
export function neutralise(folder: string, config: SquidConfig): void {
  const byFile = new Map<string, Array<{ start: number; end: number }>>();
  for (const line of config.lines)
    if (line.kind === 'directive' && NEUTRALISED.has(line.name.text)) byFile.set(line.span.file, [...(byFile.get(line.span.file) ?? []), line.span]);
  for (const [file, spans] of byFile) {
    if (!file.startsWith(`${folder}/`)) continue;
    let text = readFileSync(file, 'utf8');
    for (const span of spans.sort((a, b) => b.start - a.start)) {
      const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
      const piece = text.slice(lineStart, span.end);
      text = text.slice(0, lineStart) + piece.replace(/^/gm, '# referee: ') + text.slice(span.end);
    }
    writeFileSync(file, text);
  }
}

export interface RunningSquid {
  port: number;
  run: (probes: Probe[]) => Promise<Answer[]>;
  log: () => string;
  stop: () => Promise<void>;
}

export async function startSquid(folder: string, config: SquidConfig, namespace: string, port: number): Promise<RunningSquid> {
  const run = path.join(path.dirname(folder), 'run');
  // Squid drops to the proxy user: it must reach the case's files (mkdtemp made their parent 0700).
  chmodSync(path.dirname(folder), 0o755);
  mkdirSync(run, { recursive: true });
  chownSync(run, PROXY_UID(), PROXY_GID());
  neutralise(folder, config);
  writeFileSync(path.join(run, 'hosts'), `${PROBE_DESTINATION.address} ${PROBE_DESTINATION.host}\n`);
  const root = path.join(folder, 'squid.conf');
  const block = [
    '',
    '# secure-config-review referee (test/referee/squid/README.md)',
    `http_port 127.0.0.1:${port}`,
    `http_port [::1]:${port}`,
    `pid_filename ${run}/squid.pid`,
    `cache_log stdio:${run}/cache.log`,
    `access_log stdio:${run}/access.log`,
    'cache_store_log none',
    `coredump_dir ${run}`,
    'cache_effective_user proxy',
    `hosts_file ${run}/hosts`,
    'dns_nameservers 127.0.0.1',
    'pinger_enable off',
    'shutdown_lifetime 0 seconds',
    'visible_hostname referee.invalid',
    'workers 1',
    '',
  ];
  writeFileSync(root, `${readFileSync(root, 'utf8').replace(/\n?$/, '\n')}${block.join('\n')}`);
  const logPath = path.join(run, 'squid.out');
  const out = openSync(logPath, 'a');
  const child: ChildProcess = spawn(IP, ['netns', 'exec', namespace, SQUID, '-N', '-f', root], { detached: true, stdio: ['ignore', out, out], cwd: run });
  closeSync(out);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const log = () =>
    [logPath, path.join(run, 'cache.log')]
      .filter(existsSync)
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
  const stop = async () => {
    if (!child.pid) return;
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        /* gone */
      }
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (exited) break;
    }
  };
  const client = path.join(__dirname, 'probe-client.ts');
  const runProbes = (probes: Probe[]) =>
    new Promise<Answer[]>((resolve, reject) => {
      if (exited) return reject(new Error(`Squid exited:\n${log()}`));
      const probe = execFile(
        IP,
        ['netns', 'exec', namespace, process.execPath, '--require', 'tsx/cjs', client],
        { cwd: path.resolve(__dirname, '../../..'), timeout: 300_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) return reject(new Error(`probe client: ${error.message}\n${String(stderr)}`));
          const result = JSON.parse(String(stdout)) as { answers?: Answer[]; error?: string };
          if (!result.answers) return reject(new Error(`${result.error ?? 'no answers'}\n${log()}`));
          resolve(result.answers);
        },
      );
      probe.stdin?.end(JSON.stringify({ port, probes }));
    });
  return { port, run: runProbes, log, stop };
}
