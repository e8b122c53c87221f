// Debian's /etc/exim4/update-exim4.conf.conf: shell assignments (`dc_relay_nets='192.168.1.0/24'`) that
// update-exim4.conf turns into macros at the `UPEX4CmacrosUPEX4C` line of the template or conf.d
// (update-exim4.conf(8)): MAIN_RELAY_NETS is dc_relay_nets plus `127.0.0.1 : ::::1`, a value holding `;`
// becomes a `<;` list, MAIN_LOCAL_DOMAINS is `@:localhost:` plus dc_other_hostnames, and so on.
import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import type { Macro } from './reader';
import { Tracked } from './tracked';
import { trimEndChars } from '../shared/paths';

export interface DebconfValue {
  name: string;
  /** The value without its quotes. */
  value: Tracked;
  span: Span;
}

export interface Debconf {
  source: SourceText;
  values: Map<string, DebconfValue>;
}

export function parseDebconf(source: SourceText): Debconf {
  const values = new Map<string, DebconfValue>();
  const text = source.text;
  let offset = 0;
  while (offset <= text.length) {
    let end = text.indexOf('\n', offset);
    if (end < 0) end = text.length;
    const line = text.slice(offset, end).replace(/\r$/, '');
    const match = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)=(?:'([^']*)'|"([^"]*)"|([^\s#;'"]*))/.exec(line);
    if (match) {
      const raw = match[3] ?? match[4] ?? match[5] ?? '';
      const quoted = match[3] !== undefined || match[4] !== undefined;
      const valueStart = offset + match[1]!.length + match[2]!.length + 1 + (quoted ? 1 : 0);
      values.set(match[2]!, {
        name: match[2]!,
        value: Tracked.at(source.path, valueStart, raw),
        span: { file: source.path, start: offset + match[1]!.length, end: offset + match[0].length },
      });
    }
    offset = end + 1;
  }
  return { source, values };
}

export function debconfText(debconf: Debconf | undefined, name: string): string {
  return debconf?.values.get(name)?.value.text.trim() ?? '';
}

/** The config type (`internet`, `smarthost`, `satellite`, `local`, `none`); with `none` no macro is set. */
export function configType(debconf: Debconf): string {
  return debconfText(debconf, 'dc_eximconfig_configtype').toLowerCase();
}

/** A value that holds `;` is made a `<;` list unless it already starts with `<`. */
function semicolonList(value: Tracked): Tracked {
  const trimmed = value.trim();
  if (!trimmed.text.includes(';') || trimmed.text.startsWith('<')) return trimmed;
  return Tracked.join([Tracked.plain('<; '), trimmed]);
}

/** The macros update-exim4.conf seeds from this file, in its order. */
export function debianMacros(debconf: Debconf): Macro[] {
  const type = configType(debconf);
  if (!['internet', 'smarthost', 'satellite', 'local'].includes(type)) return [];
  const get = (name: string) => debconf.values.get(name);
  const macro = (name: string, value: Tracked, span?: Span): Macro => ({ name, value, ...(span ? { span } : {}) });
  const out: Macro[] = [];
  const interfaces = get('dc_local_interfaces');
  if (interfaces && interfaces.value.text.trim()) out.push(macro('MAIN_LOCAL_INTERFACES', semicolonList(interfaces.value), interfaces.span));
  const hostnames = get('dc_other_hostnames');
  const others = hostnames ? trimEndChars(hostnames.value.text.trim(), ';: ').replace(/;/g, ':') : '';
  out.push(macro('MAIN_LOCAL_DOMAINS', Tracked.plain(`@:localhost:${others}`)));
  const relayDomains = get('dc_relay_domains');
  out.push(macro('MAIN_RELAY_TO_DOMAINS', relayDomains ? semicolonList(relayDomains.value) : Tracked.plain(''), relayDomains?.span));
  const nets = get('dc_relay_nets');
  const netsList = nets ? semicolonList(nets.value) : Tracked.plain('');
  const semicolons = netsList.text.startsWith('<;');
  out.push(macro('MAIN_RELAY_NETS', Tracked.join([netsList, Tracked.plain(semicolons ? ' ; 127.0.0.1 ; ::1' : ' : 127.0.0.1 : ::::1')]), nets?.span));
  out.push(macro('DCsmarthost', get('dc_smarthost')?.value.trim() ?? Tracked.plain('')));
  out.push(macro('DC_eximconfig_configtype', Tracked.plain(type)));
  out.push(macro(`DCconfig_${type}`, Tracked.plain('1')));
  // Lines of the file that start with an upper-case letter become macros too (update-exim4.conf's file2macros).
  for (const value of debconf.values.values())
    if (/^[A-Z]/.test(value.name) && value.name !== 'CFILEMODE') out.push(macro(value.name, value.value, value.span));
  return out;
}
