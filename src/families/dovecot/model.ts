// A Dovecot configuration as the daemon sees it: every setting with the filter it was written under
// (`protocol imap { }`, `remote 10.0.0.0/8 { }`, `local … { }`, `local_name … { }`) and the ordinary sections
// around it (`service imap-login { inet_listener imap { } }`). Values for a connection follow
// config-filter.c: of the filters that match, the most specific one that sets the key wins (local_name, then
// local, then remote by prefix length, then protocol), and inside one filter the last value written wins.
import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import type { AddressRange, AddressSet, ParsedRange } from '../../net';
import type { ValueForm } from './syntax';

export interface NetFilter {
  /** As written, e.g. `10.0.0.0/8`. */
  text: string;
  span: Span;
  /** Undefined for a host name (Dovecot resolves it at start-up). */
  parsed?: ParsedRange;
  set?: AddressSet;
}

export interface Filter {
  protocol?: string;
  local?: NetFilter;
  remote?: NetFilter;
  localName?: string;
}

export interface SectionFrame {
  type: string;
  name: string;
}

export interface DovecotSetting {
  key: string;
  /** After `$variable` expansion and unquoting; a `<file` value keeps its path. */
  value: string;
  form: ValueForm;
  keySpan: Span;
  valueSpan: Span;
  span: Span;
  filter: Filter;
  /** The filter section line this setting was written in (innermost), if any. */
  filterSpan?: Span;
  /** Ordinary sections around the setting, outermost first (`service imap-login`, `inet_listener imap`). */
  sections: SectionFrame[];
}

/** A connection to judge: the protocol and, where known, the addresses involved. */
export interface Connection {
  protocol?: string;
  remote?: AddressRange;
  local?: AddressRange;
  localName?: string;
}

/** Dovecot 2.3 defaults (as Debian 12 builds it) of the settings the checks read. */
export const DEFAULTS: Readonly<Record<string, string>> = {
  disable_plaintext_auth: 'yes',
  auth_allow_cleartext: 'no',
  ssl: 'yes',
  auth_mechanisms: 'plain',
  login_trusted_networks: '',
  auth_failure_delay: '2 secs',
  listen: '*, ::',
  protocols: '',
};

export const filterKey = (filter: Filter) =>
  [filter.protocol ?? '', netKey(filter.local), netKey(filter.remote), (filter.localName ?? '').toLowerCase()].join('|');

function netKey(net: NetFilter | undefined): string {
  if (!net) return '';
  return net.parsed ? `${net.parsed.range.start}-${net.parsed.range.end}` : net.text;
}

const bits = (net: NetFilter | undefined) => (net ? (net.parsed ? net.parsed.prefix + (net.parsed.version === 4 ? 96 : 0) : 128) : 0);

/** config_filter_parser_cmp: negative when `a` is more specific than `b`. */
export function compareSpecificity(a: Filter, b: Filter): number {
  if ((a.localName !== undefined) !== (b.localName !== undefined)) return a.localName !== undefined ? -1 : 1;
  if (bits(a.local) !== bits(b.local)) return bits(b.local) - bits(a.local);
  if (bits(a.remote) !== bits(b.remote)) return bits(b.remote) - bits(a.remote);
  if ((a.protocol !== undefined) !== (b.protocol !== undefined)) return a.protocol !== undefined ? -1 : 1;
  return 0;
}

function netMatches(mask: NetFilter | undefined, address: AddressRange | undefined): boolean | undefined {
  if (!mask) return true;
  if (!address) return false;
  if (!mask.parsed) return undefined;
  return mask.parsed.range.start <= address.start && address.end <= mask.parsed.range.end;
}

/** config_filter_match: whether a filter applies to the connection; undefined when it names a host we cannot resolve. */
export function filterMatches(mask: Filter, connection: Connection): boolean | undefined {
  if (mask.protocol !== undefined) {
    if (connection.protocol === undefined) return false;
    const negated = mask.protocol.startsWith('!');
    if ((connection.protocol === mask.protocol.replace(/^!/, '')) === negated) return false;
  }
  if (mask.localName !== undefined) {
    if (connection.localName === undefined) return false;
    const names = mask.localName.split(' ').filter(Boolean);
    if (!names.some((name) => wildcardMatch(name, connection.localName!))) return false;
  }
  const remote = netMatches(mask.remote, connection.remote);
  const local = netMatches(mask.local, connection.local);
  if (remote === false || local === false) return false;
  return remote === undefined || local === undefined ? undefined : true;
}

/** dns_match_wildcard: `*` and `?` in a host name pattern, case-insensitive. */
function wildcardMatch(pattern: string, name: string): boolean {
  const source = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name.toLowerCase());
}

export class DovecotConfig {
  constructor(
    /** Every setting in the order Dovecot reads them (includes spliced in). */
    readonly settings: readonly DovecotSetting[],
    readonly sources: readonly SourceText[],
    /** Include lines whose files could not be read here: what they set is unknown. */
    readonly unresolved: readonly Span[],
  ) {}

  /** Settings outside ordinary sections: the ones filters and the global scope hold. */
  private get scoped(): DovecotSetting[] {
    return this.settings.filter((setting) => setting.sections.length === 0);
  }

  /** The distinct filters written in the configuration, the global scope first. */
  filters(): Filter[] {
    const seen = new Map<string, Filter>([[filterKey({}), {}]]);
    for (const setting of this.scoped) if (!seen.has(filterKey(setting.filter))) seen.set(filterKey(setting.filter), setting.filter);
    return [...seen.values()];
  }

  /**
   * The setting that decides `key` for a connection: the most specific matching filter that sets it, the
   * last line of that filter. Undefined: the built-in default applies (or, with `unknown`, a filter naming a
   * host that cannot be resolved here might apply).
   */
  decide(key: string, connection: Connection): { setting?: DovecotSetting; unknown: boolean } {
    const byFilter = new Map<string, { filter: Filter; last: DovecotSetting }>();
    let unknown = false;
    for (const setting of this.scoped) {
      if (setting.key !== key) continue;
      const matches = filterMatches(setting.filter, connection);
      if (matches === undefined) unknown = true;
      if (!matches) continue;
      byFilter.set(filterKey(setting.filter), { filter: setting.filter, last: setting });
    }
    const best = [...byFilter.values()].sort((a, b) => compareSpecificity(a.filter, b.filter))[0];
    return best ? { setting: best.last, unknown } : { unknown };
  }

  /** The value of `key` for a connection (its default when nothing sets it). */
  value(key: string, connection: Connection = {}): string {
    return this.decide(key, connection).setting?.value ?? DEFAULTS[key] ?? '';
  }

  /** The last value of `key` inside the ordinary sections `path` (e.g. service imap-login, inet_listener imap). */
  sectionValue(path: readonly SectionFrame[], key: string): DovecotSetting | undefined {
    let found: DovecotSetting | undefined;
    for (const setting of this.settings)
      if (
        setting.key === key &&
        setting.sections.length === path.length &&
        setting.sections.every((frame, index) => frame.type === path[index]!.type && frame.name === path[index]!.name)
      )
        found = setting;
    return found;
  }

  /** Ordinary sections of a type under `path`, by name (`inet_listener` names under `service imap-login`). */
  sectionNames(path: readonly SectionFrame[], type: string): string[] {
    const names = new Set<string>();
    for (const setting of this.settings) {
      if (setting.sections.length <= path.length) continue;
      if (!path.every((frame, index) => setting.sections[index]!.type === frame.type && setting.sections[index]!.name === frame.name)) continue;
      const frame = setting.sections[path.length]!;
      if (frame.type === type) names.add(frame.name);
    }
    return [...names];
  }
}

/** settings_get_bool: yes, y, 1 (any case for the words) are true; `no` is false; anything else is invalid. */
export function dovecotBool(value: string): boolean | undefined {
  if (/^(yes|y)$/i.test(value) || value === '1') return true;
  if (/^no$/i.test(value)) return false;
  return undefined;
}

/**
 * settings_get_time_full: a number, then a unit written as any prefix of secs/seconds, mins/minutes,
 * msecs/milliseconds, hours, days or weeks (any case). A bare number is only valid when it is 0.
 * Milliseconds; undefined when Dovecot would refuse the value.
 */
export function dovecotMilliseconds(value: string): number | undefined {
  // Digits, spaces, then the unit (split in code: one regex `^(\d+) *(.*)$` backtracks quadratically).
  const digits = /^\d+/.exec(value);
  const rest = digits ? value.slice(digits[0].length).replace(/^ +/, '') : '';
  if (!digits || /[\n\r\u2028\u2029]/.test(rest)) return undefined;
  const amount = Number(digits[0]);
  const unit = rest.toLowerCase();
  if (unit === '') return amount === 0 ? 0 : undefined;
  const prefixOf = (...words: string[]) => words.some((word) => word.startsWith(unit));
  const factor =
    unit[0] === 's' && prefixOf('secs', 'seconds')
      ? 1000
      : unit[0] === 'm' && prefixOf('mins', 'minutes')
        ? 60_000
        : unit[0] === 'm' && prefixOf('msecs', 'mseconds', 'millisecs', 'milliseconds')
          ? 1
          : unit[0] === 'h' && prefixOf('hours')
            ? 3_600_000
            : unit[0] === 'd' && prefixOf('days')
              ? 86_400_000
              : unit[0] === 'w' && prefixOf('weeks')
                ? 604_800_000
                : undefined;
  return factor === undefined ? undefined : amount * factor;
}
