// Who can reach Dovecot's logins: the `listen` addresses, the protocols served and each login service's
// inet_listeners (Dovecot 2.3 defaults: imap 143 and imaps 993, pop3 110 and pop3s 995, submission 587,
// sieve 4190; `port = 0` turns a listener off, `ssl = yes` makes it TLS from the first byte).
import { beyondLoopback } from '../shared/listen-address';
import { type Connection, type DovecotConfig, type Filter, dovecotBool } from './model';

interface LoginProtocol {
  protocol: string;
  service: string;
  /** Default listeners: name -> [port, TLS from the start]. */
  listeners: Record<string, [number, boolean]>;
}

const LOGIN_PROTOCOLS: readonly LoginProtocol[] = [
  { protocol: 'imap', service: 'imap-login', listeners: { imap: [143, false], imaps: [993, true] } },
  { protocol: 'pop3', service: 'pop3-login', listeners: { pop3: [110, false], pop3s: [995, true] } },
  { protocol: 'submission', service: 'submission-login', listeners: { submission: [587, false] } },
  { protocol: 'sieve', service: 'managesieve-login', listeners: { sieve: [4190, false] } },
];

/** True when some `listen` address is reachable from beyond this host. */
export function listensBeyondLoopback(config: DovecotConfig): boolean {
  return reachesBeyondLoopback(config.value('listen'));
}

/** The protocols written in `protocols` (undefined when it builds on `$protocols` or is not written). */
function servedProtocols(config: DovecotConfig): Set<string> | undefined {
  const setting = config.decide('protocols', {}).setting;
  if (!setting || setting.form === 'variable') return undefined;
  return new Set(setting.value.split(/[\s,]+/).filter(Boolean));
}

/** Whether a protocol has a listener that accepts a session before TLS (STARTTLS or none) beyond loopback. */
export function hasCleartextListener(config: DovecotConfig, protocol?: string): boolean {
  const served = servedProtocols(config);
  return LOGIN_PROTOCOLS.some((login) => {
    if (protocol !== undefined && login.protocol !== protocol) return false;
    if (served && !served.has(login.protocol)) return false;
    // managesieve-login comes with Pigeonhole's managesieved package: only counted when `protocols` names sieve.
    if (login.protocol === 'sieve' && !served?.has('sieve')) return false;
    const names = new Set([...Object.keys(login.listeners), ...config.sectionNames([{ type: 'service', name: login.service }], 'inet_listener')]);
    return [...names].some((name) => {
      const path = [
        { type: 'service', name: login.service },
        { type: 'inet_listener', name },
      ];
      const [defaultPort, defaultTls] = login.listeners[name] ?? [0, false];
      const port = config.sectionValue(path, 'port')?.value ?? String(defaultPort);
      const ssl = config.sectionValue(path, 'ssl')?.value;
      const tls = ssl === undefined ? defaultTls : dovecotBool(ssl) === true;
      const address = config.sectionValue(path, 'address')?.value;
      const local = address !== undefined && address.trim() !== '' && !reachesBeyondLoopback(address);
      return port.trim() !== '0' && !tls && !local;
    });
  });
}

/** An address list (`*, ::`, `127.0.0.1`, a host name) with an entry reachable from beyond this host. */
function reachesBeyondLoopback(value: string): boolean {
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((item) => item === '*' || item === '::' || beyondLoopback(item) || !/^[\d.:[\]*]+$/.test(item));
}

/** A connection a filter applies to: its protocol and networks (a negated protocol stands for another one). */
export function connectionOf(filter: Filter): Connection | undefined {
  if ((filter.remote && !filter.remote.parsed) || (filter.local && !filter.local.parsed)) return undefined;
  const protocol =
    filter.protocol === undefined
      ? undefined
      : filter.protocol.startsWith('!')
        ? LOGIN_PROTOCOLS.map((login) => login.protocol).find((name) => name !== filter.protocol!.slice(1))
        : filter.protocol;
  return {
    ...(protocol !== undefined ? { protocol } : {}),
    ...(filter.remote?.parsed ? { remote: filter.remote.parsed.range } : {}),
    ...(filter.local?.parsed ? { local: filter.local.parsed.range } : {}),
    ...(filter.localName !== undefined ? { localName: filter.localName.split(' ')[0]! } : {}),
  };
}
