// The tables iptables-restore leaves behind: commands applied in order, file after file (ufw loads several
// with --noflush), then handed to the shared packet-path model as one Ruleset per address family.
import { text } from '../../core/check';
import type { ParseProblem } from '../../core/format';
import type { Span } from '../../core/types';
import type { Chain, FirewallRule, IpFamily, Policy, Ruleset } from '../shared/firewall';
import { type IptCommand, type IptRule, BUILTIN_CHAINS, chainKey, isExtensionTarget, readCommand } from './rule';
import type { ChainDeclaration, RestoreFile } from './syntax';

export interface ChainState {
  table: string;
  name: string;
  builtin: boolean;
  declaration?: ChainDeclaration;
  policy?: Policy;
  rules: IptRule[];
}

/** The order a packet to this host meets the base chains (netfilter hook priorities). */
const INPUT_PATH: ReadonlyArray<[string, string]> = [
  ['raw', 'PREROUTING'],
  ['mangle', 'PREROUTING'],
  ['nat', 'PREROUTING'],
  ['mangle', 'INPUT'],
  ['filter', 'INPUT'],
  ['security', 'INPUT'],
];

export class NetfilterState {
  readonly chains = new Map<string, ChainState>();
  /** Tables some file wrote (a file without `*filter` leaves the kernel's filter table as it was). */
  readonly tables = new Set<string>();

  constructor(readonly family: IpFamily) {}

  /** Applies one iptables-restore file: without `noflush`, each table it names is emptied first. */
  apply(file: RestoreFile, problems: ParseProblem[], options: { noflush?: boolean } = {}): void {
    for (const table of file.tables) {
      if (!BUILTIN_CHAINS[table.name]) continue;
      this.tables.add(table.name);
      if (!options.noflush) this.flushTable(table.name);
      for (const name of BUILTIN_CHAINS[table.name]!) this.ensureBuiltin(table.name, name);
      for (const declaration of table.chains) this.declare(table.name, declaration, problems, options.noflush === true);
      const tableProblems: ParseProblem[] = [];
      for (const line of table.commands) {
        const command = readCommand(line, { family: this.family, table: table.name, problems: tableProblems });
        if (command) this.run(table.name, command, tableProblems);
      }
      problems.push(...tableProblems);
      // iptables-restore checks jumps when the table is committed.
      for (const chain of this.chains.values()) {
        if (chain.table !== table.name) continue;
        for (const rule of chain.rules) {
          const action = rule.action;
          if ((action.kind === 'jump' || action.kind === 'goto') && rule.target && !this.chains.has(action.chain) && !isExtensionTarget(rule.target.text)) {
            if (rule.line.span.file === file.source.path)
              problems.push({ span: rule.target.span, message: text('iptables.undefined-chain', { chain: rule.target.text }) });
          }
        }
      }
    }
  }

  /** Adds rules written by a program rather than read from a file (ufw-init's chains), spanned where they stand for. */
  applyText(table: string, commands: IptCommand[]): void {
    for (const command of commands) this.run(table, command, []);
  }

  private flushTable(table: string): void {
    for (const [key, chain] of [...this.chains]) {
      if (chain.table !== table) continue;
      if (chain.builtin) {
        chain.rules = [];
        chain.policy = { verdict: 'accept' };
        delete chain.declaration;
      } else this.chains.delete(key);
    }
  }

  private ensureBuiltin(table: string, name: string): ChainState {
    const key = chainKey(table, name);
    let chain = this.chains.get(key);
    if (!chain) this.chains.set(key, (chain = { table, name, builtin: true, policy: { verdict: 'accept' }, rules: [] }));
    return chain;
  }

  private declare(table: string, declaration: ChainDeclaration, problems: ParseProblem[], noflush: boolean): void {
    const builtin = BUILTIN_CHAINS[table]!.includes(declaration.name);
    const key = chainKey(table, declaration.name);
    if (builtin) {
      const chain = this.ensureBuiltin(table, declaration.name);
      chain.declaration = declaration;
      const policy = declaration.policy.toUpperCase();
      if (declaration.policy === '-') return;
      if (policy !== 'ACCEPT' && policy !== 'DROP') {
        problems.push({ span: declaration.policySpan, message: text('iptables.bad-policy', { policy: declaration.policy }) });
        return;
      }
      if (table === 'nat' && policy === 'DROP') {
        problems.push({ span: declaration.policySpan, message: text('iptables.bad-policy', { policy: declaration.policy }) });
        return;
      }
      chain.policy = { verdict: policy === 'ACCEPT' ? 'accept' : 'drop', span: declaration.policySpan };
      return;
    }
    if (declaration.policy !== '-') {
      problems.push({ span: declaration.policySpan, message: text('iptables.user-chain-policy', { chain: declaration.name }) });
      return;
    }
    const existing = this.chains.get(key);
    if (existing && noflush) {
      existing.rules = [];
      existing.declaration = declaration;
      return;
    }
    this.chains.set(key, { table, name: declaration.name, builtin: false, declaration, rules: [] });
  }

  private run(table: string, command: IptCommand, problems: ParseProblem[]): void {
    const name = command.chain?.text;
    const key = name === undefined ? undefined : chainKey(table, name);
    const chain = key === undefined ? undefined : this.chains.get(key);
    const missing = () => problems.push({ span: command.chain!.span, message: text('iptables.undefined-chain', { chain: name ?? '' }) });
    switch (command.kind) {
      case 'new-chain':
        if (chain) problems.push({ span: command.chain!.span, message: text('iptables.chain-exists', { chain: name ?? '' }) });
        else this.chains.set(key!, { table, name: name!, builtin: false, rules: [] });
        return;
      case 'delete-chain':
        if (key === undefined) {
          for (const [k, c] of [...this.chains]) if (c.table === table && !c.builtin) this.chains.delete(k);
        } else if (chain && !chain.builtin) this.chains.delete(key);
        else missing();
        return;
      case 'flush':
        if (key === undefined) {
          for (const c of this.chains.values()) if (c.table === table) c.rules = [];
        } else if (chain) chain.rules = [];
        else missing();
        return;
      case 'zero':
        return;
      case 'policy': {
        if (!chain || !chain.builtin) {
          missing();
          return;
        }
        const policy = command.argument!.text.toUpperCase();
        if (policy !== 'ACCEPT' && policy !== 'DROP') {
          problems.push({ span: command.argument!.span, message: text('iptables.bad-policy', { policy: command.argument!.text }) });
          return;
        }
        chain.policy = { verdict: policy === 'ACCEPT' ? 'accept' : 'drop', span: command.argument!.span };
        return;
      }
      case 'rename':
        if (!chain) missing();
        else {
          this.chains.delete(key!);
          chain.name = command.argument!.text;
          this.chains.set(chainKey(table, chain.name), chain);
        }
        return;
      case 'append':
      case 'insert':
      case 'replace':
      case 'delete': {
        if (!chain) {
          missing();
          return;
        }
        if (command.kind === 'delete') {
          if (command.position !== undefined) {
            if (command.position < 1 || command.position > chain.rules.length)
              problems.push({ span: command.line.span, message: text('iptables.no-such-rule') });
            else chain.rules.splice(command.position - 1, 1);
          } else if (command.rule) {
            const wanted = ruleText(command.rule);
            const index = chain.rules.findIndex((rule) => ruleText(rule) === wanted);
            if (index < 0) problems.push({ span: command.line.span, message: text('iptables.no-such-rule') });
            else chain.rules.splice(index, 1);
          }
          return;
        }
        const rule = command.rule;
        if (!rule) return;
        if (command.kind === 'append') chain.rules.push(rule);
        else if (command.kind === 'insert') {
          const position = command.position ?? 1;
          if (position < 1 || position > chain.rules.length + 1) problems.push({ span: command.line.span, message: text('iptables.no-such-rule') });
          else chain.rules.splice(position - 1, 0, rule);
        } else {
          const position = command.position!;
          if (position < 1 || position > chain.rules.length) problems.push({ span: command.line.span, message: text('iptables.no-such-rule') });
          else chain.rules[position - 1] = rule;
        }
        return;
      }
    }
  }

  /** The shared model's view: chains keyed `table name`, the input path, DOCKER-USER when defined. */
  ruleset(): Ruleset {
    const chains = new Map<string, Chain>();
    for (const [key, state] of this.chains)
      chains.set(key, {
        name: state.name,
        rules: state.rules as FirewallRule[],
        ...(state.builtin ? { policy: state.policy ?? { verdict: 'accept' } } : {}),
        ...(state.declaration ? { span: state.declaration.span } : {}),
      });
    // A base chain with no rules and an ACCEPT policy changes nothing; filter INPUT always counts when written.
    const input = INPUT_PATH.filter(([table, name]) => {
      const state = this.chains.get(chainKey(table, name));
      if (!state || !this.tables.has(table)) return false;
      return (table === 'filter' && name === 'INPUT') || state.rules.length > 0 || state.policy?.verdict !== 'accept';
    }).map(([table, name]) => chainKey(table, name));
    const docker = chainKey('filter', 'DOCKER-USER');
    return { family: this.family, chains, input, ...(chains.has(docker) ? { dockerUser: docker } : {}) };
  }

  chain(table: string, name: string): ChainState | undefined {
    return this.chains.get(chainKey(table, name));
  }
}

/** A rule's arguments as one string, for `-D chain <rule>` (iptables compares the parsed rule; close enough for files). */
function ruleText(rule: IptRule): string {
  return rule.line.tokens
    .slice(2)
    .map((token) => token.text)
    .join(' ');
}

export type { Span };
