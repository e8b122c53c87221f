// What each keyword does to the options, transcribed from servconf.c's process_server_config_line_depth().
// Most keywords keep the first value read while the line is "active" (outside a Match block on the first pass,
// inside a matching one on the connection pass), but not all of them: Port, ListenAddress and the user and group
// lists accumulate, a few keep the last value (MaxStartups, IPQoS, …) and some ignore the Match state.
import { text } from '../../core/check';
import type { MaxStartupsValue } from './options';
import {
  type Handler,
  type LineRun,
  accumulate,
  bad,
  first,
  firstLine,
  flag,
  ignored,
  integer,
  last,
  missing,
  multistateHandler,
  opaque,
  required,
  time,
  tokenSpan,
  word,
} from './line-run';
import { algorithms, authMethodsKnown, command, listenAddress, permitForwarding, userPatternValid } from './handlers-special';
import * as v from './values';

export { Cursor, type LineRun } from './line-run';
export { authMethodsKnown } from './handlers-special';

const HANDLERS: Record<string, Handler> = {
  usepam: flag('usepam'),
  port(run) {
    const token = required(run);
    if (!token) return;
    const port = v.parsePort(token.value);
    if (port <= 0 || run.store.count('port') >= 256) return bad(run, token);
    run.store.append('port', port, run.directive);
  },
  hostkey(run) {
    const token = required(run);
    if (token && run.active) run.store.append('hostkey', token.value, run.directive);
  },
  hostkeyagent: opaque,
  pidfile: opaque,
  modulifile: opaque,
  xauthlocation: opaque,
  logingracetime: time('logingracetime'),
  permitrootlogin: multistateHandler('permitrootlogin', v.PERMIT_ROOT_LOGIN),
  syslogfacility(run) {
    const token = run.args.next();
    const value = v.logFacility(token?.value);
    if (value === undefined) return token ? bad(run, token) : missing(run);
    if (!run.store.has('syslogfacility')) run.store.set('syslogfacility', { value, directive: run.directive });
  },
  loglevel(run) {
    const token = run.args.next();
    const value = v.logLevel(token?.value);
    if (value === undefined) return token ? bad(run, token) : missing(run);
    first(run, 'loglevel', value);
  },
  logverbose(run) {
    const empty = run.store.count('logverbose') === 0;
    for (let token = run.args.next(), index = 0; token; token = run.args.next(), index++) {
      if (token.value === '') return missing(run);
      if (token.value.toLowerCase() === 'none' && (index > 0 || run.args.remaining > 0)) return bad(run, token);
      if (run.active && empty) run.store.append('logverbose', token.value, run.directive);
    }
  },
  hostbasedauthentication: flag('hostbasedauthentication'),
  hostbasedusesnamefrompacketonly: flag('hostbasedusesnamefrompacketonly'),
  hostbasedacceptedalgorithms: algorithms('hostbasedacceptedalgorithms', false),
  hostkeyalgorithms: algorithms('hostkeyalgorithms', false),
  pubkeyacceptedalgorithms: algorithms('pubkeyacceptedalgorithms', false),
  casignaturealgorithms: algorithms('casignaturealgorithms', false),
  ciphers: algorithms('ciphers', true),
  macs: algorithms('macs', true),
  kexalgorithms: algorithms('kexalgorithms', true),
  pubkeyauthentication: flag('pubkeyauthentication'),
  pubkeyauthoptions(run) {
    const words: string[] = [];
    for (let token = run.args.next(); token; token = run.args.next()) {
      const value = token.value.toLowerCase();
      if (value === 'none') continue;
      if (value !== 'touch-required' && value !== 'verify-required') return bad(run, token);
      if (!words.includes(value)) words.push(value);
    }
    const ordered = ['touch-required', 'verify-required'].filter((option) => words.includes(option));
    first(run, 'pubkeyauthoptions', ordered.length ? ordered : ['none']);
  },
  kerberosauthentication: flag('kerberosauthentication'),
  kerberosorlocalpasswd: flag('kerberosorlocalpasswd'),
  kerberosticketcleanup: flag('kerberosticketcleanup'),
  gssapiauthentication: flag('gssapiauthentication'),
  gssapicleanupcredentials: flag('gssapicleanupcredentials'),
  gssapistrictacceptorcheck: flag('gssapistrictacceptorcheck'),
  gssapikeyexchange: flag('gssapikeyexchange'),
  gssapistorecredentialsonrekey: flag('gssapistorecredentialsonrekey'),
  gssapikexalgorithms: opaque,
  debianbanner: flag('debianbanner'),
  passwordauthentication: flag('passwordauthentication'),
  kbdinteractiveauthentication: flag('kbdinteractiveauthentication'),
  listenaddress: listenAddress,
  addressfamily: multistateHandler('addressfamily', v.ADDRESS_FAMILY),
  printmotd: flag('printmotd'),
  printlastlog: flag('printlastlog'),
  ignorerhosts: multistateHandler('ignorerhosts', v.IGNORE_RHOSTS),
  ignoreuserknownhosts: flag('ignoreuserknownhosts'),
  x11forwarding: flag('x11forwarding'),
  x11displayoffset: integer('x11displayoffset'),
  x11uselocalhost: flag('x11uselocalhost'),
  strictmodes: flag('strictmodes'),
  permitemptypasswords: flag('permitemptypasswords'),
  permituserenvironment(run) {
    const token = required(run);
    if (token) first(run, 'permituserenvironment', token.value);
  },
  compression: multistateHandler('compression', v.COMPRESSION),
  rekeylimit(run) {
    required(run);
    const interval = run.args.next();
    if (interval && interval.value !== 'none' && v.parseTime(interval.value) === undefined) bad(run, interval);
  },
  tcpkeepalive: flag('tcpkeepalive'),
  allowtcpforwarding: multistateHandler('allowtcpforwarding', v.FORWARDING),
  allowstreamlocalforwarding: multistateHandler('allowstreamlocalforwarding', v.FORWARDING),
  allowagentforwarding: flag('allowagentforwarding'),
  allowusers: accumulate('allowusers', userPatternValid),
  denyusers: accumulate('denyusers', userPatternValid),
  allowgroups: accumulate('allowgroups', (value) => value !== ''),
  denygroups: accumulate('denygroups', (value) => value !== ''),
  gatewayports: multistateHandler('gatewayports', v.GATEWAY_PORTS),
  subsystem(run) {
    const name = required(run);
    if (!name) return;
    if (!run.active) {
      run.args.next();
      return;
    }
    const existing = (run.store.get('subsystem')?.value as readonly string[] | undefined) ?? [];
    // MAX_SUBSYSTEMS: sshd refuses a 257th.
    if (existing.length >= 256) return bad(run, name);
    if (existing.some((entry) => entry.split(' ')[0] === name.value))
      return run.fail(text('sshd.duplicate-subsystem', { name: name.value }), tokenSpan(run, name));
    const commandToken = required(run);
    if (!commandToken) return;
    const parts = [commandToken.value];
    for (let token = run.args.next(); token; token = run.args.next()) parts.push(token.value);
    run.store.append('subsystem', `${name.value} ${parts.join(' ')}`, run.directive);
  },
  maxstartups(run) {
    const token = required(run);
    if (!token) return;
    const numbers = v.scanColonInts(token.value, 3);
    const previous = (run.store.get('maxstartups')?.value as MaxStartupsValue | undefined) ?? {};
    let value: MaxStartupsValue;
    if (numbers.length === 3) {
      const [begin, rate, max] = numbers as [number, number, number];
      if (begin > max || rate > 100 || rate < 1) return bad(run, token);
      value = { begin, rate, max };
    } else if (numbers.length === 1) value = { ...previous, begin: numbers[0], max: numbers[0] };
    else return bad(run, token);
    if ((value.max ?? 0) <= 0 || (value.begin ?? 0) <= 0) return bad(run, token);
    // Stored whatever the Match state and for every line: the last MaxStartups wins.
    run.store.set('maxstartups', { value, directive: run.directive });
  },
  persourcemaxstartups(run) {
    const token = required(run);
    if (!token) return;
    const value = token.value === 'none' ? v.INT_MAX : v.parseInteger(token.value);
    if (value === undefined) return bad(run, token);
    last(run, 'persourcemaxstartups', value);
  },
  persourcenetblocksize(run) {
    const token = required(run);
    if (!token) return;
    const numbers = v.scanColonInts(token.value, 2);
    const [v4, v6] = numbers;
    if (numbers.length === 0 || v4! < 0 || v4! > 32 || (v6 !== undefined && (v6 < 0 || v6 > 128))) bad(run, token);
  },
  maxauthtries: integer('maxauthtries'),
  maxsessions: integer('maxsessions'),
  banner: word('banner'),
  usedns: flag('usedns'),
  clientaliveinterval: time('clientaliveinterval'),
  clientalivecountmax: integer('clientalivecountmax'),
  authorizedkeysfile: firstLine('authorizedkeysfile', (value) => value !== ''),
  authorizedprincipalsfile: word('authorizedprincipalsfile'),
  acceptenv: accumulate('acceptenv', (value) => value !== '' && !value.includes('=')),
  setenv(run) {
    const empty = run.store.count('setenv') === 0;
    const names = new Set<string>();
    for (let token = run.args.next(); token; token = run.args.next()) {
      if (token.value === '' || !token.value.includes('=')) return bad(run, token);
      if (!run.active || !empty) continue;
      // A name already set on this line keeps its first value.
      const name = token.value.slice(0, token.value.indexOf('='));
      if (names.has(name)) continue;
      names.add(name);
      run.store.append('setenv', token.value, run.directive);
    }
  },
  permittunnel(run) {
    const token = required(run);
    if (!token) return;
    if (!v.TUNNEL_MODES.includes(token.value)) return bad(run, token);
    first(run, 'permittunnel', token.value);
  },
  permittty: flag('permittty'),
  permituserrc: flag('permituserrc'),
  permitopen: permitForwarding('permitopen', false),
  permitlisten: permitForwarding('permitlisten', true),
  forcecommand(run) {
    run.args.consumeAll();
    first(run, 'forcecommand', run.rest.replace(/^[ \t\r\n]+/, ''));
  },
  chrootdirectory: word('chrootdirectory'),
  hostcertificate(run) {
    required(run);
  },
  revokedkeys: opaque,
  trustedusercakeys: opaque,
  securitykeyprovider: opaque,
  ipqos(run) {
    const token = required(run);
    if (!token) return;
    const interactive = v.parseIpqos(token.value);
    if (interactive === undefined) return bad(run, token);
    const second = run.args.next();
    const bulk = second ? v.parseIpqos(second.value) : interactive;
    if (bulk === undefined) return bad(run, second!);
    last(run, 'ipqos', [interactive, bulk]);
  },
  versionaddendum: ignored,
  authorizedkeyscommand: command('authorizedkeyscommand'),
  authorizedprincipalscommand: command('authorizedprincipalscommand'),
  authorizedkeyscommanduser: word('authorizedkeyscommanduser'),
  authorizedprincipalscommanduser: word('authorizedprincipalscommanduser'),
  authenticationmethods(run) {
    const empty = run.store.count('authenticationmethods') === 0;
    let any = false;
    let parsed = false;
    for (let token = run.args.next(); token; token = run.args.next()) {
      // As servconf.c: "any" is refused once any list is stored, even one stored by an earlier line.
      if (token.value === 'any') {
        if (run.store.count('authenticationmethods') > 0) return bad(run, token);
        any = true;
      } else if (any || !authMethodsKnown(token.value)) return bad(run, token);
      parsed = true;
      if (run.active && empty) run.store.append('authenticationmethods', token.value, run.directive);
    }
    if (!parsed) missing(run);
  },
  streamlocalbindmask(run) {
    const token = required(run);
    if (!token) return;
    // strtol(arg, &end, 8): leading octal digits, whatever follows them.
    const match = /^[ \t]*([+-]?)([0-7]+)/.exec(token.value);
    const value = match ? (match[1] === '-' ? -1 : 1) * parseInt(match[2]!, 8) : NaN;
    if (Number.isNaN(value) || value < 0 || value > 0o777) return bad(run, token);
    last(run, 'streamlocalbindmask', value);
  },
  streamlocalbindunlink: flag('streamlocalbindunlink'),
  fingerprinthash(run) {
    const token = required(run);
    if (!token) return;
    const value = v.digestName(token.value);
    if (value === undefined) return bad(run, token);
    last(run, 'fingerprinthash', value);
  },
  disableforwarding: flag('disableforwarding'),
  exposeauthinfo: flag('exposeauthinfo'),
  rdomain(run) {
    run.args.consumeAll();
    run.fail(text('sshd.rdomain-unsupported'));
  },
  requiredrsasize: integer('requiredrsasize'),
  channeltimeout(run) {
    const empty = run.store.count('channeltimeout') === 0;
    for (let token = run.args.next(); token; token = run.args.next()) {
      // servconf.c means "none only in first position" but never counts: only a "none" followed by more is refused.
      if (token.value.toLowerCase() === 'none') {
        if (run.args.remaining > 0) return bad(run, token);
      } else {
        const equals = token.value.indexOf('=');
        if (equals <= 0 || v.parseTime(token.value.slice(equals + 1)) === undefined) return bad(run, token);
      }
      if (run.active && empty) run.store.append('channeltimeout', token.value, run.directive);
    }
  },
  unusedconnectiontimeout(run) {
    const token = run.args.peek();
    if (token && token.value.toLowerCase() === 'none') {
      run.args.next();
      last(run, 'unusedconnectiontimeout', 0);
      return;
    }
    time('unusedconnectiontimeout')(run);
  },
  deprecated: ignored,
  ignore: ignored,
  unsupported: ignored,
};

/** Runs the handler of a keyword (Match and Include are the model's own business). */
export function runHandler(opcode: string, run: LineRun): void {
  const handler = HANDLERS[opcode];
  if (handler) handler(run);
  else run.args.consumeAll();
}
