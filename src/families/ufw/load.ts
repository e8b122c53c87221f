// The rules ufw loads, in the order its ufw-init script loads them (Debian ufw 0.36): its own primary chains
// and the INPUT jumps into them, the policy helpers (reject-input, track-input, skip-to-policy-input), then
// before.rules, after.rules and user.rules with `iptables-restore -n`, the jump from ufw-before-input to
// ufw-user-input, and finally the built-in policies from /etc/default/ufw (REJECT becomes DROP plus a REJECT
// rule). IPv6 (user6.rules, before6.rules, after6.rules) follows the same steps when IPV6=yes; with IPV6=no
// ufw-init leaves only loopback open for IPv6.
import type { ParseProblem } from '../../core/format';
import { SourceText } from '../../core/source';
import type { FileAccess, Span } from '../../core/types';
import type { IpFamily, Ruleset } from '../shared/firewall';
import { dirname, joinPath, readSource } from '../shared/paths';
import { NetfilterState } from '../iptables/netfilter';
import { type RestoreFile, parseRestoreFile } from '../iptables/syntax';
import type { IptRule } from '../iptables/rule';
import { type UfwDefaults, type UfwPolicy, parseAssignments, policyOf, setting } from './defaults';

export type UfwFileRole = 'before' | 'after' | 'user';

export interface UfwRulesFile {
  role: UfwFileRole;
  source: SourceText;
  file: RestoreFile;
}

export interface UfwRuleset {
  family: IpFamily;
  /** Whether ufw applies these rules at all (IPv6 rules with IPV6=no are not loaded). */
  applied: boolean;
  files: UfwRulesFile[];
  defaults?: UfwDefaults;
  state: NetfilterState;
  ruleset: Ruleset;
  /** The `### tuple ###` comment above each user rule: ufw's own record of the rule, rewritten from it by every ufw command. */
  tuples: Map<IptRule, Tuple>;
}

export interface Tuple {
  text: string;
  span: Span;
  /** The source field (6th) as written, with its span. */
  source?: { text: string; span: Span };
}

/** The file name of a role for a family: before.rules / before6.rules, ... */
export function ruleFileName(role: UfwFileRole, family: IpFamily): string {
  return `${role}${family === 6 ? '6' : ''}.rules`;
}

/** Reads /etc/default/ufw beside or above a folder holding ufw rules (`/etc/ufw` -> `/etc/default/ufw`). */
export async function readDefaults(folder: string, files: FileAccess): Promise<UfwDefaults | undefined> {
  for (const candidate of [joinPath(folder, '../default/ufw'), joinPath(folder, 'default/ufw')]) {
    const source = await readSource(files, candidate);
    if (source) return { source, assignments: parseAssignments(source) };
  }
  return undefined;
}

/**
 * The ruleset ufw builds for `family` from the rule files in `folder` (the linted file stands for its role
 * whatever its name); missing files are left out (Debian's before/after rules do not change whether a new TCP or
 * UDP connection from another host reaches a port).
 */
export async function loadUfw(
  folder: string,
  family: IpFamily,
  files: FileAccess,
  linted: { role: UfwFileRole; family: IpFamily; source: SourceText } | undefined,
  defaults: UfwDefaults | undefined,
  problems: Map<string, ParseProblem[]>,
): Promise<UfwRuleset> {
  const input = policyOf(defaults, 'DEFAULT_INPUT_POLICY', 'DROP');
  const forward = policyOf(defaults, 'DEFAULT_FORWARD_POLICY', 'DROP');
  const ipv6 = (setting(defaults, 'IPV6')?.value ?? 'yes').toLowerCase() === 'yes';
  const state = new NetfilterState(family);
  const policySpan = setting(defaults, 'DEFAULT_INPUT_POLICY')?.innerSpan;
  const tuples = new Map<IptRule, Tuple>();
  const read: UfwRulesFile[] = [];
  if (family === 6 && !ipv6) {
    applySynthetic(state, folder, IPV6_OFF, policySpan);
    return { family, applied: false, files: read, ...(defaults ? { defaults } : {}), state, ruleset: state.ruleset(), tuples };
  }
  applySynthetic(state, folder, initText(family, input, forward), policySpan);
  for (const role of ['before', 'after', 'user'] as const) {
    const own = linted && linted.role === role && linted.family === family ? linted.source : undefined;
    const source = own ?? (await readSource(files, joinPath(folder, ruleFileName(role, family))));
    if (!source) continue;
    const fileProblems = problems.get(source.path) ?? [];
    problems.set(source.path, fileProblems);
    if (role === 'user') applySynthetic(state, folder, userChainsText(family), policySpan);
    const file = parseRestoreFile(source, fileProblems);
    state.apply(file, fileProblems, { noflush: true });
    read.push({ role, source, file });
    if (role === 'user') collectTuples(file, state, tuples);
  }
  const prefix = family === 6 ? 'ufw6' : 'ufw';
  // ufw-init hooks the user chains in only when it found user.rules.
  if (read.some((file) => file.role === 'user'))
    applySynthetic(
      state,
      folder,
      `*filter\n-A ${prefix}-before-input -j ${prefix}-user-input\n-A ${prefix}-before-forward -j ${prefix}-user-forward\nCOMMIT\n`,
      policySpan,
    );
  applySynthetic(state, folder, `*filter\n:INPUT ${builtinPolicy(input)} [0:0]\n:FORWARD ${builtinPolicy(forward)} [0:0]\nCOMMIT\n`, policySpan);
  return { family, applied: true, files: read, ...(defaults ? { defaults } : {}), state, ruleset: state.ruleset(), tuples };
}

function builtinPolicy(policy: UfwPolicy): 'ACCEPT' | 'DROP' {
  return policy === 'ACCEPT' ? 'ACCEPT' : 'DROP';
}

const IPV6_OFF = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A OUTPUT -o lo -j ACCEPT\nCOMMIT\n';

const PRIMARY = ['before-logging', 'before', 'after', 'after-logging', 'reject', 'track'];

/** What ufw-init creates before reading any rules file (its chains, the jumps from the built-in chains, the policy helpers). */
export function initText(family: IpFamily, input: UfwPolicy, forward: UfwPolicy): string {
  const p = family === 6 ? 'ufw6' : 'ufw';
  const lines = ['*filter'];
  for (const hook of ['input', 'output', 'forward']) for (const chain of PRIMARY) lines.push(`:${p}-${chain}-${hook} - [0:0]`);
  for (const [builtin, hook] of [
    ['INPUT', 'input'],
    ['OUTPUT', 'output'],
    ['FORWARD', 'forward'],
  ] as const)
    for (const chain of PRIMARY) lines.push(`-A ${builtin} -j ${p}-${chain}-${hook}`);
  if (input === 'REJECT') lines.push(`-A ${p}-reject-input -j REJECT`);
  if (forward === 'REJECT') lines.push(`-A ${p}-reject-forward -j REJECT`);
  if (input === 'ACCEPT')
    lines.push(`-A ${p}-track-input -p tcp -m conntrack --ctstate NEW -j ACCEPT`, `-A ${p}-track-input -p udp -m conntrack --ctstate NEW -j ACCEPT`);
  if (forward === 'ACCEPT')
    lines.push(`-A ${p}-track-forward -p tcp -m conntrack --ctstate NEW -j ACCEPT`, `-A ${p}-track-forward -p udp -m conntrack --ctstate NEW -j ACCEPT`);
  lines.push(`:${p}-logging-deny - [0:0]`, `:${p}-logging-allow - [0:0]`);
  lines.push(`:${p}-skip-to-policy-input - [0:0]`, `:${p}-skip-to-policy-output - [0:0]`, `:${p}-skip-to-policy-forward - [0:0]`);
  lines.push(`-A ${p}-skip-to-policy-input -j ${input}`, `-A ${p}-skip-to-policy-output -j ACCEPT`, `-A ${p}-skip-to-policy-forward -j ${forward}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** The user chains ufw-init declares before reading user.rules. */
export function userChainsText(family: IpFamily): string {
  const p = family === 6 ? 'ufw6' : 'ufw';
  const chains = ['input', 'output', 'forward', 'logging-input', 'logging-output', 'logging-forward', 'limit', 'limit-accept'].map(
    (chain) => `:${p}-user-${chain} - [0:0]`,
  );
  return ['*filter', ...chains, 'COMMIT', ''].join('\n');
}

/** Applies rules ufw-init writes itself; decisions they make are reported at DEFAULT_INPUT_POLICY when that line exists. */
function applySynthetic(state: NetfilterState, folder: string, text: string, policySpan: Span | undefined): void {
  const source = new SourceText(joinPath(folder, '(ufw-init)'), text);
  const file = parseRestoreFile(source, []);
  state.apply(file, [], { noflush: true });
  if (!policySpan) return;
  for (const chain of state.chains.values()) {
    for (const rule of chain.rules) if (rule.span.file === source.path) rule.span = policySpan;
    if (chain.policy?.span?.file === source.path) chain.policy = { ...chain.policy, span: policySpan };
  }
}

function collectTuples(file: RestoreFile, state: NetfilterState, tuples: Map<IptRule, Tuple>): void {
  const comments = file.comments.filter((comment) => comment.text.startsWith('### tuple ###'));
  if (!comments.length) return;
  for (const chain of state.chains.values())
    for (const rule of chain.rules) {
      if (rule.span.file !== file.source.path) continue;
      // A tuple owns the command lines right below it (ufw writes them as one block).
      let owner: (typeof comments)[number] | undefined;
      for (const comment of comments) if (comment.line < rule.line.line) owner = comment;
      if (!owner) continue;
      const source = file.source;
      let contiguous = true;
      for (let line = owner.line; line < rule.line.line - 1; line++) if (!source.lineText(line).trimStart().startsWith('-')) contiguous = false;
      if (!contiguous) continue;
      const tuple: Tuple = { text: owner.text.slice('### tuple ###'.length).trim(), span: owner.span };
      // `### tuple ### action protocol dport dst sport src direction`: the source is the 9th word of the line.
      const words = [...owner.text.matchAll(/\S+/g)];
      const sourceWord = words[8];
      if (sourceWord?.index !== undefined) {
        const start = owner.span.start + sourceWord.index;
        tuple.source = { text: sourceWord[0], span: { file: owner.span.file, start, end: start + sourceWord[0].length } };
      }
      tuples.set(rule, tuple);
    }
}

export { dirname };
