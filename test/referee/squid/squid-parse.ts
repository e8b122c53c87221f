// `squid -k parse -X -f FILE`: Squid's own reading of a configuration. With -X it prints every logical line
// ("Processing: …") and, for each src/dst entry, how acl_ip_data::FactoryParse read it ("Parsed: A-B/MASK(/N)",
// "Located host/IP", "magic 'all'"), and which entries the splay tree ignores.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { AddressSet, parseRange } from '../../../src/net';

export const SQUID = '/usr/sbin/squid';
export const squidInstalled = () => existsSync(SQUID);

export interface ParsedEntry {
  text: string;
  /** What Squid matches for this entry; undefined when it printed no range (a host name it could not resolve). */
  set?: AddressSet;
}

export interface SquidParse {
  code: number;
  output: string;
  /** Every "Processing:" line, in order. */
  processed: string[];
  /** Per processed line index: the address entries Squid parsed on it, the ones it ignored, and how many it masked. */
  entries: Map<number, { parsed: ParsedEntry[]; ignored: Set<string>; masked: number }>;
}

export function runSquid(args: string[], cwd: string, timeoutMs = 30_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(SQUID, args, { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${String(stdout)}${String(stderr)}` });
    });
  });
}

/** A Squid address as printed (`10.0.0.0`, `[::1]`) in the 128-bit space. */
function squidAddress(text: string): bigint | undefined {
  const parsed = parseRange(text.replace(/^\[(.*)\]$/, '$1'));
  return parsed?.written;
}

export async function squidParse(root: string): Promise<SquidParse> {
  const { code, output } = await runSquid(['-k', 'parse', '-X', '-f', root], path.dirname(root));
  const processed: string[] = [];
  const entries = new Map<number, { parsed: ParsedEntry[]; ignored: Set<string>; masked: number }>();
  let current: { parsed: ParsedEntry[]; ignored: Set<string>; masked: number } | undefined;
  let entry: ParsedEntry | undefined;
  for (const line of output.split('\n')) {
    const processing = /\| Processing: (.*)$/.exec(line);
    if (processing && !/Processing Configuration File/.test(line)) {
      processed.push(processing[1]!);
      current = { parsed: [], ignored: new Set(), masked: 0 };
      entries.set(processed.length - 1, current);
      entry = undefined;
      continue;
    }
    if (!current) continue;
    const start = /FactoryParse: aclIpParseIpData: (\S+)$/.exec(line);
    if (start && !/^'/.test(start[1]!)) {
      entry = { text: start[1]! };
      current.parsed.push(entry);
      continue;
    }
    if (!entry) continue;
    if (/magic 'all' found|needs to be replaced by the term 'all'/.test(line)) entry.set = AddressSet.of({ start: 0n, end: (1n << 128n) - 1n });
    const parsed = /Parsed: (\S+)-(\S+)\/\[[^\]]*\]\(\/(\d+)\)/.exec(line);
    if (parsed) {
      const first = squidAddress(parsed[1]!);
      const second = parsed[2] === '[::]' ? undefined : squidAddress(parsed[2]!);
      const hostMask = (1n << BigInt(128 - Number(parsed[3]))) - 1n;
      if (first !== undefined) entry.set = AddressSet.of({ start: first, end: (second ?? first) | hostMask });
    }
    const located = /Located host\/IP: '([^']+)'/.exec(line);
    if (located && !entry.set) {
      const at = squidAddress(located[1]!);
      if (at !== undefined) entry.set = AddressSet.of({ start: at, end: at });
    }
    // The splay tree may compare (and warn about) one entry more than once: the entries are counted by name.
    const ignored = /because of this '(.*)' is ignored/.exec(line);
    if (ignored) current.ignored.add(ignored[1]!);
    if (/Netmask masks away part of the specified IP/.test(line)) current.masked++;
  }
  return { code, output, processed, entries };
}
