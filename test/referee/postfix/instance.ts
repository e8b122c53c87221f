// A throw-away Postfix built from a case: the case's main.cf with a block of referee settings appended
// (the last definition wins), and a master.cf with Debian's internal services plus one loopback
// listener per smtpd service the engine evaluates, carrying that service's -o overrides.
// What is neutralised, and why it cannot change the relay verdict, is listed in README.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, promises as fs, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { PostfixConfig } from '../../../src/families/postfix/config';
import type { MasterService } from '../../../src/families/postfix/master-cf';
import { splitList } from '../../../src/families/postfix/config';
import { TrackedText } from '../../../src/families/postfix/tracked-text';
import { DEBIAN_MASTER_CF, type RefereeCase } from './cases';
import { POSTFIX, dataDirectory, logFile, queueDirectory, run, writeAged } from './environment';

/** Restrictions that query DNS, a policy server or address verification, with their argument count. */
const DROPPED_RESTRICTIONS = new Map<string, number>([
  ...[
    'reject_rbl_client',
    'reject_rhsbl_client',
    'reject_rhsbl_sender',
    'reject_rhsbl_helo',
    'reject_rhsbl_reverse_client',
    'reject_rhsbl_recipient',
    'permit_dnswl_client',
    'permit_rhswl_client',
    'check_policy_service',
  ].map((name) => [name, 1] as const),
  ...['client', 'reverse_client', 'helo', 'sender', 'recipient'].flatMap((what) =>
    ['a', 'mx', 'ns'].map((record) => [`check_${what}_${record}_access`, 1] as const),
  ),
  ...[
    'reject_unknown_client_hostname',
    'reject_unknown_client',
    'reject_unknown_reverse_client_hostname',
    'reject_unknown_helo_hostname',
    'reject_unknown_hostname',
    'reject_unknown_sender_domain',
    'reject_unknown_recipient_domain',
    'reject_unverified_sender',
    'reject_unverified_recipient',
    'permit_mx_backup',
    'reject_plaintext_session',
  ].map((name) => [name, 0] as const),
]);

/** Lookup table types that name a file, database or server; replaced by an empty table. */
const TABLE =
  /^(proxy:)?(hash|btree|lmdb|cdb|dbm|sdbm|regexp|pcre|cidr|texthash|mysql|pgsql|ldap|sqlite|memcache|socketmap|tcp|nis|nisplus|netinfo|unix|fail|environ|pipemap|unionmap|randmap|internal):/;

/** Settings that make the copy self-contained; they win because they come last. */
function refereeSettings(directory: string): Array<[string, string]> {
  return [
    ['queue_directory', queueDirectory(directory)],
    ['data_directory', dataDirectory(directory)],
    ['command_directory', '/usr/sbin'],
    ['daemon_directory', '/usr/lib/postfix/sbin'],
    ['meta_directory', '/etc/postfix'],
    ['shlib_directory', '/usr/lib/postfix'],
    ['sendmail_path', '/usr/sbin/sendmail'],
    ['newaliases_path', '/usr/bin/newaliases'],
    ['mailq_path', '/usr/bin/mailq'],
    ['mail_owner', 'postfix'],
    ['setgid_group', 'postdrop'],
    ['html_directory', 'no'],
    ['manpage_directory', '/usr/share/man'],
    ['sample_directory', '/etc/postfix'],
    ['readme_directory', 'no'],
    ['inet_interfaces', '127.0.0.1'],
    ['inet_protocols', 'all'],
    ['maillog_file', '/dev/stdout'],
    ['myorigin', '$myhostname'],
    ['smtpd_authorized_xclient_hosts', '127.0.0.1'],
    ['smtpd_peername_lookup', 'no'],
    ['smtp_dns_support_level', 'disabled'],
    ['lmtp_dns_support_level', 'disabled'],
    ['default_transport', 'discard:referee'],
    ['relay_transport', 'discard:referee'],
    ['local_transport', 'discard:referee'],
    ['virtual_transport', 'discard:referee'],
    ['transport_maps', ''],
    ['sender_dependent_default_transport_maps', ''],
    ['sender_dependent_relayhost_maps', ''],
    ['relayhost', ''],
    ['content_filter', ''],
    ['smtpd_proxy_filter', ''],
    ['smtpd_milters', ''],
    ['non_smtpd_milters', ''],
    ['smtpd_upstream_proxy_protocol', ''],
    ['smtpd_command_filter', ''],
    ['smtpd_sasl_auth_enable', 'no'],
    ['smtpd_tls_security_level', 'none'],
    ['smtpd_use_tls', 'no'],
    ['smtpd_enforce_tls', 'no'],
    ['smtpd_tls_wrappermode', 'no'],
    ['smtpd_tls_auth_only', 'no'],
    ['smtpd_delay_reject', 'yes'],
    ['smtpd_error_sleep_time', '0'],
    ['smtpd_soft_error_limit', '1000'],
    ['smtpd_hard_error_limit', '1000'],
    ['smtpd_junk_command_limit', '1000'],
    ['smtpd_client_connection_count_limit', '0'],
    ['smtpd_client_connection_rate_limit', '0'],
    ['smtpd_client_message_rate_limit', '0'],
    ['smtpd_client_recipient_rate_limit', '0'],
    ['smtpd_client_new_tls_session_rate_limit', '0'],
    ['smtpd_client_auth_rate_limit', '0'],
    ['address_verify_map', ''],
  ];
}

/** Per-service copies of the settings that matter in smtpd (a case's own -o must not undo them). */
const SERVICE_FORCED = new Set([
  'smtpd_sasl_auth_enable',
  'smtpd_tls_security_level',
  'smtpd_use_tls',
  'smtpd_enforce_tls',
  'smtpd_tls_wrappermode',
  'smtpd_tls_auth_only',
  'smtpd_authorized_xclient_hosts',
  'smtpd_milters',
  'smtpd_proxy_filter',
  'smtpd_upstream_proxy_protocol',
  'smtpd_delay_reject',
  'smtpd_peername_lookup',
  'smtpd_command_filter',
]);

export interface Neutraliser {
  directory: string;
  /** List files the engine resolved (`/etc/postfix/mynetworks`), copied next to the instance. */
  copied: Map<string, string>;
}

/** Rewrites one value: tables become an empty texthash, DNS/policy restrictions go, known list files are copied. */
export function neutraliseValue(value: string, context: Neutraliser): string {
  const tokens = splitList(TrackedText.plain(value)).map((token) => token.text);
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const negated = token.startsWith('!') ? '!' : '';
    const bare = token.slice(negated.length);
    const dropped = DROPPED_RESTRICTIONS.get(bare);
    if (dropped !== undefined) {
      i += dropped;
      changed = true;
      continue;
    }
    const copy = context.copied.get(bare) ?? context.copied.get(bare.replace(/^cidr:/, ''));
    if (copy) {
      out.push(`${negated}${bare.startsWith('cidr:') ? 'cidr:' : ''}${copy}`);
      changed = true;
    } else if (TABLE.test(bare)) {
      out.push(`${negated}texthash:${context.directory}/empty`);
      changed = true;
    } else out.push(token);
  }
  return changed ? out.join(', ') : value;
}

export interface ServiceListener {
  service: MasterService | undefined;
  port: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Writes the instance's files into `directory` (an empty, authorised slot). */
export async function writeInstance(referee: RefereeCase, config: PostfixConfig, directory: string): Promise<ServiceListener[]> {
  const context: Neutraliser = { directory, copied: new Map() };
  await fs.mkdir(path.join(directory, 'lists'));
  await writeAged(path.join(directory, 'empty'), '');
  let listNumber = 0;
  for (const [reference, list] of config.listFiles) {
    const copy = path.join(directory, 'lists', `list-${listNumber++}`);
    await writeAged(copy, list.source.text);
    context.copied.set(reference.replace(/^cidr:/, ''), copy);
  }
  // One definition per name: the effective values (parse agreement proves they equal postconf -n),
  // rewritten, then the referee settings. No "overriding earlier entry" warnings: every Postfix command
  // logs those through postlogd, and a burst of them before master runs fills the postlog socket and
  // deadlocks start-up.
  const settings = refereeSettings(directory);
  const forcedNames = new Set(settings.map(([name]) => name));
  const lines = [`# ${referee.name}, as seen by the secure-config-review referee (test/referee/postfix/README.md)`];
  for (const definition of config.main?.effective.values() ?? [])
    if (!forcedNames.has(definition.name)) lines.push(`${definition.name} = ${neutraliseValue(definition.value.text, context)}`);
  for (const [name, value] of settings) lines.push(`${name} = ${value}`);
  await writeAged(path.join(directory, 'main.cf'), `${lines.join('\n')}\n`);

  const debian = await fs.readFile(DEBIAN_MASTER_CF, 'utf8');
  const master = debian
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .split(/\n(?=\S)/)
    .filter((entry) => entry.trim() && entry.split(/\s+/)[1] !== 'inet')
    // No chroot: the copy has no files under its queue directory to run chrooted.
    .map((entry) => entry.replace(/^(\S+\s+\S+\s+\S+\s+\S+\s+)\S+/, '$1n'));
  const listeners: ServiceListener[] = [];
  const forced = new Map(refereeSettings(directory).filter(([name]) => SERVICE_FORCED.has(name)));
  for (const service of config.evaluatedServices) {
    const port = await freePort();
    listeners.push({ service, port });
    const options = [...(service?.overrides.values() ?? [])].map((override) => [override.name, neutraliseValue(override.value.text, context)] as const);
    const args = [...options, ...forced, ['syslog_name', `postfix/probe-${listeners.length}`] as const].map(([name, value]) => `  -o { ${name} = ${value} }`);
    master.push([`127.0.0.1:${port} inet n - n - - smtpd`, ...args].join('\n'));
  }
  await writeAged(path.join(directory, 'master.cf'), `${master.join('\n')}\n`);
  await fs.mkdir(queueDirectory(directory), { mode: 0o755 });
  await fs.mkdir(dataDirectory(directory), { mode: 0o700 });
  await run('/bin/chown', ['postfix:postfix', dataDirectory(directory)]);
  return listeners;
}

export interface RunningInstance {
  directory: string;
  listeners: ServiceListener[];
  log: () => string;
  stop: () => Promise<void>;
}

/** Process groups of running instances: killed synchronously if the test process dies or is interrupted. */
const runningGroups = new Set<number>();
const killGroup = (pid: number) => {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
};
process.once('exit', () => runningGroups.forEach(killGroup));
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    runningGroups.forEach(killGroup);
    process.exit(130);
  });

function masterPid(directory: string): number | undefined {
  const file = path.join(queueDirectory(directory), 'pid', 'master.pid');
  const pid = existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8').trim(), 10) : NaN;
  return Number.isFinite(pid) && pid > 1 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** `postfix -c DIR start-fg`, waiting until every listener accepts connections (or failing with the log). */
export async function startInstance(directory: string, listeners: ServiceListener[], timeoutMs = 30_000): Promise<RunningInstance> {
  // A file, not a pipe: Node's pipes are sockets, which postlog cannot open as /dev/stdout (ENXIO).
  const log = openSync(logFile(directory), 'a');
  const child: ChildProcess = spawn(POSTFIX, ['-c', directory, 'start-fg'], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const output = () => (existsSync(logFile(directory)) ? readFileSync(logFile(directory), 'utf8') : '');
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const instance: RunningInstance = {
    directory,
    listeners,
    log: output,
    // Signals, not `postfix stop`: that goes through postfix-script and postlog, which can block on a
    // busy postlogd socket. master(8) on SIGTERM stops its children; master calls setsid, so its
    // process group (master and every child) is killed afterwards whatever happened.
    stop: async () => {
      const master = masterPid(directory);
      if (master) {
        runningGroups.add(master);
        try {
          process.kill(master, 'SIGTERM');
        } catch {
          /* already gone */
        }
        for (let waited = 0; waited < 5_000 && alive(master); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
        killGroup(master);
        runningGroups.delete(master);
      }
      if (child.pid) {
        killGroup(child.pid);
        runningGroups.delete(child.pid);
      }
      await Promise.race([exitedPromise, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    },
  };
  if (child.pid) runningGroups.add(child.pid);
  // Also remember master's own group as soon as it has written its pid (see stop).
  const watchMaster = setInterval(() => {
    const master = masterPid(directory);
    if (master) {
      runningGroups.add(master);
      clearInterval(watchMaster);
    }
  }, 100);
  exitedPromise.then(() => clearInterval(watchMaster));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) break;
    const ready = await Promise.all(listeners.map((listener) => canConnect(listener.port)));
    if (ready.every(Boolean)) return instance;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await instance.stop();
  throw new Error(
    `Postfix did not start from ${directory}:\n${output()
      .split('\n')
      .filter((line) => !/postfix-script.*(not owned|writable)/.test(line))
      .join('\n')}`,
  );
}
