// How Postfix reads mynetworks (postconf(5) "mynetworks"): a list of network/mask patterns,
// `[ipv6]/len`, `/file/name` and `type:table` patterns, hostnames, and `!pattern` exclusions; the
// first pattern that matches decides.
import { type ParsedRange, parseRange } from '../../net';
import type { MasterService } from './master-cf';
import type { ParameterValue, PostfixConfig } from './config';
import type { TrackedText } from './tracked-text';

export interface NetworkEntry {
  /** The pattern as it appears (possibly expanded from `$name`), without the leading `!`. */
  text: string;
  item: TrackedText;
  negated: boolean;
  /** Set for address patterns. */
  parsed?: ParsedRange;
  /** The `/file` or `cidr:/file` reference in mynetworks this entry came from. */
  viaFile?: TrackedText;
  kind: 'address' | 'table' | 'hostname' | 'bare-ipv6' | 'unreadable-file';
}

/** The entries of mynetworks for a service, with `/file` references replaced by the file's patterns (once per model). */
export function mynetworksEntries(config: PostfixConfig, within?: MasterService): { value: ParameterValue; entries: NetworkEntry[] } {
  const service = config.sharedContext(within, ['mynetworks']);
  return config.cached('mynetworks-entries', service, () => readEntries(config, service));
}

function readEntries(config: PostfixConfig, service: MasterService | undefined): { value: ParameterValue; entries: NetworkEntry[] } {
  const value = config.parameter('mynetworks', service);
  const entries: NetworkEntry[] = [];
  const add = (item: TrackedText, viaFile?: TrackedText) => {
    const negated = item.text.startsWith('!');
    const pattern = negated ? item.slice(1) : item;
    const text = pattern.text;
    const base = { text, item: pattern, negated, ...(viaFile ? { viaFile } : {}) };
    const file = config.listFiles.get(text);
    if (file && !viaFile) {
      for (const fileItem of file.items) add(fileItem, pattern);
      return;
    }
    const parsed = parseRange(text);
    if (parsed && (parsed.version === 4 || text.startsWith('['))) entries.push({ ...base, parsed, kind: 'address' });
    else if (parsed) entries.push({ ...base, kind: 'bare-ipv6' });
    else if (/^[a-z0-9]+:/i.test(text) || text.startsWith('/'))
      entries.push({ ...base, kind: text.startsWith('/') || text.startsWith('cidr:') ? 'unreadable-file' : 'table' });
    else entries.push({ ...base, kind: 'hostname' });
  };
  for (const item of config.list('mynetworks', service)) add(item);
  return { value, entries };
}
