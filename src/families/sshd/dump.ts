// How `sshd -T` prints each modelled option (servconf.c's dump_config()), so that the referee can compare the
// model with sshd line for line, and the listen addresses behind ListenAddress, Port and AddressFamily.
import type { MaxStartupsValue, OptionStore } from './options';
import { assembleAlgorithms } from './algorithms';
import { type SshdAddress, parseAddress } from './patterns';
import { formatAddress, V4_MAPPED_BASE } from '../../net';
import { INT_MAX, ipqosName } from './values';

/** Options whose `sshd -T` line the model reproduces; the referee compares every one of them. */
export const MODELLED: readonly string[] = [
  'port',
  'addressfamily',
  'listenaddress',
  'usepam',
  'logingracetime',
  'x11displayoffset',
  'maxauthtries',
  'maxsessions',
  'clientaliveinterval',
  'clientalivecountmax',
  'requiredrsasize',
  'streamlocalbindmask',
  'unusedconnectiontimeout',
  'permitrootlogin',
  'ignorerhosts',
  'ignoreuserknownhosts',
  'hostbasedauthentication',
  'hostbasedusesnamefrompacketonly',
  'pubkeyauthentication',
  'kerberosauthentication',
  'kerberosorlocalpasswd',
  'kerberosticketcleanup',
  'gssapiauthentication',
  'gssapicleanupcredentials',
  'gssapikeyexchange',
  'gssapistrictacceptorcheck',
  'gssapistorecredentialsonrekey',
  'passwordauthentication',
  'kbdinteractiveauthentication',
  'printmotd',
  'printlastlog',
  'x11forwarding',
  'x11uselocalhost',
  'permittty',
  'permituserrc',
  'strictmodes',
  'tcpkeepalive',
  'permitemptypasswords',
  'compression',
  'gatewayports',
  'usedns',
  'allowtcpforwarding',
  'allowagentforwarding',
  'disableforwarding',
  'allowstreamlocalforwarding',
  'streamlocalbindunlink',
  'fingerprinthash',
  'exposeauthinfo',
  'ciphers',
  'macs',
  'banner',
  'forcecommand',
  'chrootdirectory',
  'authorizedkeyscommand',
  'authorizedkeyscommanduser',
  'authorizedprincipalscommand',
  'authorizedprincipalscommanduser',
  'kexalgorithms',
  'casignaturealgorithms',
  'hostbasedacceptedalgorithms',
  'hostkeyalgorithms',
  'pubkeyacceptedalgorithms',
  'loglevel',
  'syslogfacility',
  'authorizedkeysfile',
  'allowusers',
  'denyusers',
  'allowgroups',
  'denygroups',
  'acceptenv',
  'setenv',
  'authenticationmethods',
  'logverbose',
  'channeltimeout',
  'subsystem',
  'maxstartups',
  'persourcemaxstartups',
  'permittunnel',
  'ipqos',
  'permitopen',
  'permitlisten',
  'permituserenvironment',
  'pubkeyauthoptions',
];

const STRING_OR_NONE = new Set([
  'banner',
  'forcecommand',
  'chrootdirectory',
  'authorizedkeyscommand',
  'authorizedkeyscommanduser',
  'authorizedprincipalscommand',
  'authorizedprincipalscommanduser',
]);
const ONE_LINE_LISTS = new Set(['authorizedkeysfile', 'logverbose', 'channeltimeout']);
const LINE_PER_ITEM = new Set(['allowusers', 'denyusers', 'allowgroups', 'denygroups', 'acceptenv', 'setenv', 'subsystem']);

/**
 * The `sshd -T` lines for one option (without the keyword: each entry is what follows it), or undefined when
 * the value depends on something the model cannot know (a relative path, `~`, a host name to resolve).
 */
export function dumpOption(field: string, store: OptionStore): string[] | undefined {
  const value = store.get(field)?.value;
  if (field === 'listenaddress') return dumpListen(store);
  if (field in ALGORITHM_FIELDS) {
    const assembled = assembleAlgorithms(field, value as string | undefined);
    return assembled ? [assembled.join(',')] : undefined;
  }
  if (STRING_OR_NONE.has(field)) {
    const text = value === undefined ? 'none' : String(value);
    if (field === 'banner' && text.toLowerCase() !== 'none' && !text.startsWith('/')) return undefined;
    if ((field === 'forcecommand' || field === 'chrootdirectory') && text.toLowerCase() === 'none') return ['none'];
    return [text];
  }
  if (ONE_LINE_LISTS.has(field)) {
    const items = (value as readonly string[] | undefined) ?? [];
    if (field === 'authorizedkeysfile' && items.some((item) => item.startsWith('~'))) return undefined;
    return items.length ? [items.join(' ')] : [];
  }
  if (LINE_PER_ITEM.has(field)) return [...((value as readonly string[] | undefined) ?? [])];
  switch (field) {
    case 'port':
      return (value as readonly number[]).map(String);
    case 'streamlocalbindmask':
      return [`0${(value as number).toString(8)}`];
    case 'unusedconnectiontimeout':
      return [value === 0 ? 'none' : String(value)];
    case 'authenticationmethods': {
      const items = (value as readonly string[] | undefined) ?? [];
      return [items.length ? items.join(' ') : 'any'];
    }
    case 'maxstartups': {
      const { begin, rate, max } = value as MaxStartupsValue;
      return [`${begin}:${rate}:${max}`];
    }
    case 'persourcemaxstartups':
      return [value === INT_MAX ? 'none' : String(value)];
    case 'ipqos':
      return [(value as readonly number[]).map(ipqosName).join(' ')];
    case 'permitopen':
    case 'permitlisten': {
      const items = (value as readonly string[] | undefined) ?? [];
      return [items.length ? items.join(' ') : 'any'];
    }
    case 'pubkeyauthoptions':
      return [(value as readonly string[]).join(' ')];
  }
  return value === undefined ? undefined : [String(value)];
}

const ALGORITHM_FIELDS: Record<string, true> = {
  ciphers: true,
  macs: true,
  kexalgorithms: true,
  casignaturealgorithms: true,
  hostbasedacceptedalgorithms: true,
  hostkeyalgorithms: true,
  pubkeyacceptedalgorithms: true,
};

/** The addresses a ListenAddress host part stands for under AddressFamily, or undefined for a host name. */
export function listenHosts(host: string | undefined, family: string): SshdAddress[] | undefined {
  if (host === undefined) {
    const any: SshdAddress[] = [];
    if (family !== 'inet6') any.push({ family: 4, value: 0n });
    if (family !== 'inet') any.push({ family: 6, value: 0n });
    return any;
  }
  const address = parseAddress(host);
  if (!address) return undefined;
  if ((family === 'inet' && address.family === 6) || (family === 'inet6' && address.family === 4)) return [];
  return [address];
}

/** Queued ListenAddress entries, as "host\0port" strings the handler stored. */
export function listenEntries(store: OptionStore): Array<{ host: string; port: number }> {
  return ((store.get('listenaddress')?.value as readonly string[] | undefined) ?? []).map((entry) => {
    const [host, port] = entry.split('\u0000') as [string, string];
    return { host, port: Number(port) };
  });
}

function dumpListen(store: OptionStore): string[] | undefined {
  const family = String(store.get('addressfamily')?.value ?? 'any');
  const ports = (store.get('port')?.value as readonly number[] | undefined) ?? [22];
  const entries = listenEntries(store);
  const queue = entries.length ? entries : [{ host: undefined, port: 0 }];
  const out: string[] = [];
  for (const entry of queue) {
    const hosts = listenHosts(entry.host, family);
    if (!hosts) return undefined;
    for (const port of entry.port > 0 ? [entry.port] : ports)
      // getaddrinfo() answers IPv4 first; sshd prepends each answer list and prints the whole list reversed.
      for (const address of [...hosts].reverse()) {
        const text = address.family === 4 ? formatAddress(V4_MAPPED_BASE + address.value) : formatV6(address.value);
        out.push(address.family === 4 ? `${text}:${port}` : `[${text}]:${port}`);
      }
  }
  return out;
}

function formatV6(value: bigint): string {
  // formatAddress would print ::ffff:a.b.c.d as a.b.c.d; getnameinfo keeps the IPv6 form.
  if (value >> 32n === 0xffffn) return `::ffff:${formatAddress(value)}`;
  return formatAddress(value);
}
