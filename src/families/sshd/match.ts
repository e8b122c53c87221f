// `Match` lines as servconf.c's match_cfg_line() reads them: criteria split with strdelim() (so `User=alice` and
// "quoted" words work), `All` alone, every other criterion with one argument, all criteria ANDed.
import { type TextRef, text } from '../../core/check';
import type { Span } from '../../core/types';
import type { SshdLine, SshdToken } from './syntax';
import { strdelim } from './syntax';
import { type ListEntry, addressListEntries, addressListProblem, matchAddressEntries, matchPatternList } from './patterns';
import { parsePort } from './values';

export type Attribute = 'user' | 'group' | 'host' | 'address' | 'localaddress' | 'localport' | 'rdomain';

export interface Criterion {
  attribute: Attribute;
  /** The attribute word as written. */
  name: SshdToken;
  /** The argument (a pattern list, an address list or a port). */
  value: SshdToken;
}

export interface MatchCondition {
  all: boolean;
  criteria: Criterion[];
  /** Why sshd refuses the line, when it does. */
  problem?: { message: TextRef; span?: Span };
}

/** What sshd knows about a connection when it evaluates Match (sshd -T -C user=…,host=…,addr=…). */
export interface Client {
  user?: string;
  /** The user's groups (getgrouplist); none when the user does not exist. */
  groups?: readonly string[];
  /** The host name, or the address text when UseDNS is off. */
  host?: string;
  address?: string;
  localAddress?: string;
  localPort?: number;
  rdomain?: string;
}

const ATTRIBUTES: readonly Attribute[] = ['user', 'group', 'host', 'address', 'localaddress', 'localport', 'rdomain'];

export function parseMatch(line: SshdLine): MatchCondition {
  const file = line.file;
  const spanOf = (token: SshdToken): Span => ({ file, start: token.start, end: token.end });
  const fail = (message: TextRef, token?: SshdToken): MatchCondition => ({
    all: false,
    criteria: [],
    problem: { message, ...(token ? { span: spanOf(token) } : {}) },
  });
  const criteria: Criterion[] = [];
  const content = line.content;
  let next: number | undefined = line.restStart === undefined ? undefined : line.restStart - line.start;
  let attributes = 0;
  while (next !== undefined && next < content.length) {
    const step = strdelim(content, next, line.start);
    const attrib = step.token;
    next = step.next;
    if (!attrib || attrib.value === '') break;
    if (attrib.value.startsWith('#')) break;
    attributes++;
    const lower = attrib.value.toLowerCase();
    if (lower === 'all') {
      const after = next !== undefined && next < content.length ? strdelim(content, next, line.start).token : undefined;
      if (attributes > 1 || (after && after.value !== '' && !after.value.startsWith('#'))) return fail(text('sshd.match-all-combined'), attrib);
      return { all: true, criteria: [] };
    }
    const argStep = next !== undefined && next < content.length ? strdelim(content, next, line.start) : {};
    const value = argStep.token;
    next = argStep.next;
    if (!value || value.value === '' || value.value.startsWith('#')) return fail(text('sshd.match-missing-value', { attribute: attrib.value }), attrib);
    const attribute = ATTRIBUTES.find((name) => name === lower);
    if (!attribute) return fail(text('sshd.match-unknown-attribute', { attribute: attrib.value }), attrib);
    const listProblem = attribute === 'address' || attribute === 'localaddress' ? addressListProblem(value.value) : undefined;
    if (listProblem?.reason === 'empty') return fail(text('sshd.match-address-empty', { value: value.value }), value);
    if (listProblem?.reason === 'mask') return fail(text('sshd.match-address-mask', { entry: listProblem.entry }), value);
    if (listProblem?.reason === 'host-bits') return fail(text('sshd.match-address-host-bits', { entry: listProblem.entry, means: listProblem.means }), value);
    if (attribute === 'localport' && parsePort(value.value) === -1) return fail(text('sshd.match-bad-port', { value: value.value }), value);
    criteria.push({ attribute, name: attrib, value });
  }
  if (attributes === 0) return fail(text('sshd.match-no-attribute'));
  return { all: false, criteria };
}

const listsOf = new WeakMap<Criterion, ListEntry[]>();

/** An address criterion's list, parsed once per criterion. */
function listOf(criterion: Criterion): ListEntry[] {
  let entries = listsOf.get(criterion);
  if (!entries) listsOf.set(criterion, (entries = addressListEntries(criterion.value.value)));
  return entries;
}

/** One criterion for a client; an attribute the client does not carry never matches (as in `sshd -T -C`). */
export function criterionMatches(criterion: Criterion, client: Client): boolean {
  const pattern = criterion.value.value;
  switch (criterion.attribute) {
    case 'user':
      return client.user !== undefined && matchPatternList(client.user, pattern) === 1;
    case 'group':
      return client.user !== undefined && groupsMatch(client.groups ?? [], pattern);
    case 'host':
      return client.host !== undefined && matchPatternList(client.host.toLowerCase(), pattern, true) === 1;
    case 'address':
      return client.address !== undefined && matchAddressEntries(client.address, listOf(criterion)) === 1;
    case 'localaddress':
      return client.localAddress !== undefined && matchAddressEntries(client.localAddress, listOf(criterion)) === 1;
    case 'localport':
      return client.localPort !== undefined && client.localPort === parsePort(pattern);
    case 'rdomain':
      return client.rdomain !== undefined && matchPatternList(client.rdomain, pattern) === 1;
  }
}

/** ga_match_pattern_list(): one of the user's groups matches and none is excluded by a negated pattern. */
export function groupsMatch(groups: readonly string[], pattern: string): boolean {
  let found = false;
  for (const group of groups) {
    const result = matchPatternList(group, pattern);
    if (result === -1) return false;
    if (result === 1) found = true;
  }
  return found;
}

/** A Match line for a client: `All`, or every criterion. A line sshd refuses matches nothing. */
export function conditionMatches(condition: MatchCondition, client: Client | undefined): boolean {
  if (condition.problem) return false;
  if (condition.all) return true;
  if (!client) return false;
  return condition.criteria.every((criterion) => criterionMatches(criterion, client));
}

/** A name a pattern list accepts, built from its positive patterns (`*` and `?` filled in), or undefined. */
export function exampleFor(list: string, preferred: readonly string[] = []): string | undefined {
  const candidates = [
    ...preferred,
    ...list
      .split(',')
      .filter((pattern) => !pattern.startsWith('!'))
      .map((pattern) => pattern.replace(/\*/g, 'x').replace(/\?/g, 'x')),
  ];
  return candidates.find((candidate) => candidate !== '' && matchPatternList(candidate, list) === 1);
}
