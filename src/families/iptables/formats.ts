// iptables-save / iptables-restore files: /etc/iptables/rules.v4 and rules.v6 (iptables-persistent),
// /etc/sysconfig/iptables and ip6tables. The model is the packet-path ruleset of this file and, when the
// other address family's file sits beside it, of that one too (IPv6 left open while IPv4 is restricted).
import { modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import type { FileAccess } from '../../core/types';
import type { IpFamily, Ruleset, ServiceFacts } from '../shared/firewall';
import type * as Firewall from '../shared/firewall';
import { basename, dirname, joinPath, readSource } from '../shared/paths';
import type { NetfilterState } from './netfilter';
import type * as Netfilter from './netfilter';
import type { RestoreFile } from './syntax';
import type * as Syntax from './syntax';

export interface LoadedRuleset {
  source: SourceText;
  file: RestoreFile;
  family: IpFamily;
  state: NetfilterState;
  ruleset: Ruleset;
}

export interface IptablesModel extends LoadedRuleset {
  /** The other family's file beside this one (rules.v6 for rules.v4, ip6tables for iptables). */
  twin?: LoadedRuleset;
  /** What listens behind the ports, from service configs in the same folder (compose, redis.conf, ...). */
  services: ServiceFacts;
  sources: SourceText[];
}

/** The address family a file is for: its name first (v6, ip6tables), then what iptables-save wrote in it. */
export function familyOf(path: string, text: string): IpFamily {
  const base = basename(path).toLowerCase();
  if (namedFor(base, ['rules.v6', 'user6.rules', 'before6.rules', 'after6.rules'], 'ip6tables') || /\.v6$/.test(base)) return 6;
  if (namedFor(base, ['rules.v4', 'user.rules', 'before.rules', 'after.rules'], 'iptables') || /\.v4$/.test(base)) return 4;
  if (/^#.*ip6tables-save/m.test(text)) return 6;
  if (/^#.*iptables-save/m.test(text)) return 4;
  return /\s(-s|-d|--source|--destination)\s+(?:!\s*)?[0-9a-fA-F]*:[0-9a-fA-F:]*(\/\d+)?\s|ipv6-icmp|icmpv6/.test(text) ? 6 : 4;
}

const SEPARATOR = /[-_.]/;

/**
 * What `/(^|[-_.])(name1|name2|…|tool([-_.].*)?)$/` tests on a base name, in linear time: it ends in one of
 * `names` after a separator, or has `tool` as a separated part followed by nothing or by a separator.
 */
function namedFor(base: string, names: readonly string[], tool: string): boolean {
  const separated = (at: number) => at === 0 || SEPARATOR.test(base[at - 1]!);
  if (names.some((name) => base.endsWith(name) && separated(base.length - name.length))) return true;
  for (let at = base.indexOf(tool); at >= 0; at = base.indexOf(tool, at + 1)) {
    const after = at + tool.length;
    if (!separated(at)) continue;
    if (after === base.length || (SEPARATOR.test(base[after]!) && !/[\n\r\u2028\u2029]/.test(base.slice(after)))) return true;
  }
  return false;
}

/** The file of the other address family that iptables-persistent or the sysconfig service keeps beside this one. */
export function twinNames(path: string): string[] {
  const base = basename(path);
  const pairs: Array<[RegExp, string]> = [
    [/rules\.v4$/, 'rules.v6'],
    [/rules\.v6$/, 'rules.v4'],
    [/ip6tables(\.rules)?$/, 'iptables$1'],
    [/iptables(\.rules)?$/, 'ip6tables$1'],
  ];
  for (const [pattern, replacement] of pairs) if (pattern.test(base)) return [base.replace(pattern, replacement)];
  return [];
}

export function loadRuleset(source: SourceText, problems: ParseProblem[], family = familyOf(source.path, source.text)): LoadedRuleset {
  // The parser and netfilter's model are loaded with the first rules file, not at start-up (issue 16).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parseRestoreFile } = require('./syntax') as typeof Syntax;
  const { NetfilterState } = require('./netfilter') as typeof Netfilter;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const file = parseRestoreFile(source, problems);
  const state = new NetfilterState(family);
  state.apply(file, problems);
  return { source, file, family, state, ruleset: state.ruleset() };
}

async function loadTwin(source: SourceText, files: FileAccess, family: IpFamily): Promise<LoadedRuleset | undefined> {
  for (const name of twinNames(source.path)) {
    const twin = await readSource(files, joinPath(dirname(source.path), name));
    if (!twin || twin.path === source.path) continue;
    const twinFamily = familyOf(twin.path, twin.text);
    if (twinFamily === family) continue;
    return loadRuleset(twin, [], twinFamily);
  }
  return undefined;
}

export const iptablesModel = modelKey<IptablesModel>('iptables');

const NAME = /(^|[-_.])(rules\.v[46]|ip6?tables\.rules|ip6?tables-save|ip6?tables\.save|ip6?tables\.conf)$/i;

export const iptablesSave: FormatHandler<IptablesModel> = {
  id: 'iptables-save',
  model: iptablesModel,
  label: text('iptables.label'),
  commentPrefix: '#',
  detectByName: (path, baseName) => NAME.test(baseName) || /(^|\/)sysconfig\/ip6?tables$/.test(path),
  detectByContent: (head) => /^\*(filter|nat|mangle|raw|security)\s*$/m.test(head) && /^(:[\w-]+\s+(ACCEPT|DROP|-)\b|-A\s+\S+|COMMIT\s*$)/m.test(head),
  async load(source, context) {
    // The packet-path model is loaded with the first rules file, not at start-up (issue 16).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { findServiceFacts, matrixLimitProblem } = require('../shared/firewall') as typeof Firewall;
    const problems: ParseProblem[] = [];
    const loaded = loadRuleset(source, problems);
    const heavy = matrixLimitProblem(source, loaded.ruleset);
    if (heavy) problems.push(heavy);
    const twin = await loadTwin(source, context.files, loaded.family);
    const services = await findServiceFacts(source.path, context.files);
    const sources = [source, ...(twin ? [twin.source] : []), ...services.sources];
    return { model: { ...loaded, ...(twin ? { twin } : {}), services, sources }, problems: refusals(problems), sources };
  },
};

export const iptablesFormats: FormatHandler<unknown>[] = [iptablesSave];

/** What iptables-restore refuses leaves the host without these rules at boot: every such problem is an error. */
export function refusals(problems: readonly ParseProblem[]): ParseProblem[] {
  return problems.map((problem) => ({ ...problem, severity: problem.severity ?? 'error' }));
}
