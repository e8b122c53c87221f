// Value parsers with OpenSSH's own rules (misc.c: convtime, a2port, atoi_err; servconf.c's multistate tables).

/** strtonum(text, min, max): decimal with an optional sign, nothing else. */
export function strtonum(text: string, min: number, max: number): number | undefined {
  if (!/^[ \t]*[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text.trim());
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

export const INT_MAX = 2147483647;

/** atoi_err(): 0..INT_MAX. */
export function parseInteger(text: string | undefined): number | undefined {
  return text === undefined || text === '' ? undefined : strtonum(text, 0, INT_MAX);
}

/** Service names a2port() resolves through /etc/services that configurations use (Debian's netbase). */
const SERVICES: Record<string, number> = { ssh: 22, telnet: 23, http: 80, https: 443, 'http-alt': 8080 };

/** a2port(): 0..65535 or a tcp service name; -1 when neither. */
export function parsePort(text: string): number {
  const value = strtonum(text, 0, 65535);
  if (value !== undefined) return value;
  return SERVICES[text] ?? -1;
}

const TIME_UNITS: Record<string, number> = { '': 1, s: 1, S: 1, m: 60, M: 60, h: 3600, H: 3600, d: 86400, D: 86400, w: 604800, W: 604800 };

/** convtime(): "90", "1h30m", "2d" in seconds; undefined when malformed or beyond INT_MAX. */
export function parseTime(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  let total = 0;
  const pattern = /([+-]?\d+)([a-zA-Z]?)/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) return undefined;
    const secs = Number(match[1]);
    const multiplier = TIME_UNITS[match[2]!];
    if (multiplier === undefined || secs < 0 || secs > INT_MAX / multiplier) return undefined;
    total += secs * multiplier;
    if (total > INT_MAX) return undefined;
    index = pattern.lastIndex;
  }
  return total;
}

/** sscanf(text, "%d:%d…") for `count` numbers: how many were read, and their values. */
export function scanColonInts(text: string, count: number): number[] {
  const out: number[] = [];
  let index = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      if (text[index] !== ':') break;
      index++;
    }
    const match = /^[ \t\n]*([+-]?\d+)/.exec(text.slice(index));
    if (!match) break;
    out.push(Number(match[1]));
    index += match[0].length;
  }
  return out;
}

/** A multistate table: accepted words (compared case-insensitively) and the word sshd -T prints for each. */
export type Multistate = Readonly<Record<string, string>>;

export const FLAG: Multistate = { yes: 'yes', no: 'no' };
export const PERMIT_ROOT_LOGIN: Multistate = {
  'without-password': 'without-password',
  'prohibit-password': 'without-password',
  'forced-commands-only': 'forced-commands-only',
  yes: 'yes',
  no: 'no',
};
export const IGNORE_RHOSTS: Multistate = { yes: 'yes', no: 'no', 'shosts-only': 'shosts-only' };
export const ADDRESS_FAMILY: Multistate = { inet: 'inet', inet6: 'inet6', any: 'any' };
export const COMPRESSION: Multistate = { yes: 'yes', delayed: 'yes', no: 'no' };
export const GATEWAY_PORTS: Multistate = { clientspecified: 'clientspecified', yes: 'yes', no: 'no' };
export const FORWARDING: Multistate = { yes: 'yes', all: 'yes', no: 'no', remote: 'remote', local: 'local' };

export function multistate(table: Multistate, text: string | undefined): string | undefined {
  return text === undefined ? undefined : table[text.toLowerCase()];
}

/** PermitTunnel compares with strcmp: lower case only. */
export const TUNNEL_MODES = ['no', 'point-to-point', 'ethernet', 'yes'];

/** log.c's level names; sshd -T prints the first name of a level (DEBUG1 prints as DEBUG). */
const LOG_LEVELS: Record<string, string> = {
  quiet: 'QUIET',
  fatal: 'FATAL',
  error: 'ERROR',
  info: 'INFO',
  verbose: 'VERBOSE',
  debug: 'DEBUG',
  debug1: 'DEBUG',
  debug2: 'DEBUG2',
  debug3: 'DEBUG3',
};

export function logLevel(text: string | undefined): string | undefined {
  return text === undefined ? undefined : LOG_LEVELS[text.toLowerCase()];
}

const LOG_FACILITIES = ['DAEMON', 'USER', 'AUTH', 'AUTHPRIV', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7'];

export function logFacility(text: string | undefined): string | undefined {
  return text === undefined ? undefined : LOG_FACILITIES.find((name) => name === text.toUpperCase());
}

/** misc.c's IPQoS names (strcasecmp) and their code points; other values are integers 0..255 (strtol base 0). */
export const IPQOS: ReadonlyArray<readonly [string, number]> = [
  ['af11', 0x28],
  ['af12', 0x30],
  ['af13', 0x38],
  ['af21', 0x48],
  ['af22', 0x50],
  ['af23', 0x58],
  ['af31', 0x68],
  ['af32', 0x70],
  ['af33', 0x78],
  ['af41', 0x88],
  ['af42', 0x90],
  ['af43', 0x98],
  ['cs0', 0x00],
  ['cs1', 0x20],
  ['cs2', 0x40],
  ['cs3', 0x60],
  ['cs4', 0x80],
  ['cs5', 0xa0],
  ['cs6', 0xc0],
  ['cs7', 0xe0],
  ['ef', 0xb8],
  ['le', 0x04],
  ['lowdelay', 0x10],
  ['throughput', 0x08],
  ['reliability', 0x04],
];
export const IPQOS_NONE = INT_MAX;

export function parseIpqos(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.toLowerCase() === 'none') return IPQOS_NONE;
  const named = IPQOS.find(([name]) => name === text.toLowerCase());
  if (named) return named[1];
  const match = /^[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const body = text.replace(/^[+-]/, '');
  const value = (text.startsWith('-') ? -1 : 1) * (/^0[xX]/.test(body) ? parseInt(body, 16) : /^0/.test(body) ? parseInt(body || '0', 8) : Number(body));
  return value >= 0 && value <= 255 ? value : undefined;
}

export function ipqosName(value: number): string {
  if (value === IPQOS_NONE) return 'none';
  return IPQOS.find(([, code]) => code === value)?.[0] ?? `0x${value.toString(16).padStart(2, '0')}`;
}

const DIGESTS = ['MD5', 'SHA1', 'SHA256', 'SHA384', 'SHA512'];

export function digestName(text: string | undefined): string | undefined {
  return text === undefined ? undefined : DIGESTS.find((name) => name === text.toUpperCase());
}
