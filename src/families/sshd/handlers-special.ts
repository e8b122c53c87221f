// Keywords whose handling servconf.c spells out case by case: address and port syntax (ListenAddress,
// PermitOpen), commands taken from the rest of the line, AuthenticationMethods, and lists with quirks.
import { text } from '../../core/check';
import type { SshdToken } from './syntax';
import { algorithmsValid } from './algorithms';
import { addressListValid } from './patterns';
import { type Handler, type LineRun, bad, keywordName, required, tokenSpan } from './line-run';
import * as v from './values';

/** match_user(NULL, NULL, NULL, pattern): a `user@host` pattern must have a valid address list after '@'. */
export function userPatternValid(pattern: string): boolean {
  const at = pattern.indexOf('@');
  return pattern !== '' && (at < 0 || addressListValid(pattern.slice(at + 1)));
}

export const algorithms =
  (field: string, ignoreActive: boolean): Handler =>
  (run) => {
    const token = required(run);
    if (!token) return;
    if (!algorithmsValid(field, token.value)) return bad(run, token);
    // Ciphers, MACs and KexAlgorithms are stored whatever the Match state (`if (options->ciphers == NULL)`).
    if ((ignoreActive || run.active) && !run.store.has(field)) run.store.set(field, { value: token.value, directive: run.directive });
  };

/** hpdelim(): "host:port", "[v6]:port" or "host/port" split; undefined when malformed. */
export function hostPort(text: string): { host: string; port?: string } | undefined {
  let index: number;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return undefined;
    index = close + 1;
  } else {
    const found = text.search(/[:/]/);
    index = found < 0 ? text.length : found;
  }
  if (index < text.length && text[index] !== ':' && text[index] !== '/') return undefined;
  let host = text.slice(0, index);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return index < text.length ? { host, port: text.slice(index + 1) } : { host };
}

export function permitOpenPort(text: string | undefined): boolean {
  if (text === undefined) return false;
  return text === '*' || v.parsePort(text) > 0;
}

export const permitForwarding =
  (field: string, listen: boolean): Handler =>
  (run) => {
    const token = required(run);
    if (!token) return;
    const empty = run.store.count(field) === 0;
    if (token.value === 'any' || token.value === 'none') {
      if (run.active && empty) run.store.append(field, token.value, run.directive);
      return;
    }
    for (let arg: SshdToken | undefined = token; arg && arg.value !== ''; arg = run.args.next()) {
      let stored = arg.value;
      let port: string | undefined;
      if (listen && !arg.value.includes(':')) {
        stored = `*:${arg.value}`;
        port = arg.value;
      } else {
        const split = hostPort(arg.value);
        if (!split) return bad(run, arg);
        port = split.port;
      }
      if (!permitOpenPort(port)) return bad(run, arg);
      if (run.active && empty) run.store.append(field, stored, run.directive);
    }
  };

/** parse_command: the rest of the line, an absolute path or "none". */
export const command =
  (field: string): Handler =>
  (run) => {
    const value = run.rest.replace(/^[ \t\r\n]+/, '');
    run.args.consumeAll();
    if (!value.startsWith('/') && value.toLowerCase() !== 'none') return run.fail(text('sshd.bad-value', { keyword: keywordName(run), value }));
    // servconf.c tests authorized_keys_command for both commands: the principals command is only ever taken
    // while no AuthorizedKeysCommand has been read.
    if (run.active && !run.store.has('authorizedkeyscommand')) run.store.set(field, { value, directive: run.directive });
  };

const AUTH_METHODS = ['none', 'publickey', 'gssapi-with-mic', 'password', 'keyboard-interactive', 'hostbased'];

/** auth2_methods_valid(list, 0): every method of a comma-separated list is known (":submethod" allowed). */
export function authMethodsKnown(list: string): boolean {
  return list !== '' && list.split(',').every((method) => AUTH_METHODS.includes(method.split(':')[0]!));
}

export function listenAddress(run: LineRun): void {
  const token = required(run);
  if (!token) return;
  let host = token.value;
  let port = 0;
  const colon = host.indexOf(':');
  // A bare IPv6 address (two colons, no brackets) carries no port.
  if (host.includes('[') || colon < 0 || host.indexOf(':', colon + 1) < 0) {
    const split = hostPort(token.value);
    if (!split) return bad(run, token);
    host = split.host;
    if (split.port !== undefined) {
      port = v.parsePort(split.port);
      if (port <= 0) return bad(run, token);
    }
  }
  const extra = run.args.next();
  if (extra) {
    // "rdomain NAME": routing domains do not exist on Linux, so sshd refuses any.
    run.args.consumeAll();
    return run.fail(text('sshd.bad-value', { keyword: keywordName(run), value: extra.value }), tokenSpan(run, extra));
  }
  run.store.append('listenaddress', `${host}\u0000${port}`, run.directive);
}
