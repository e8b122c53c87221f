// The sshd configuration as sshd evaluates it. servconf.c parses the whole text twice: at start-up with no
// connection (lines outside Match blocks and inside `Match All` are active; the first value read wins for most
// keywords), and for each connection (only matching Match blocks are active, into a fresh set of options that
// is then copied over the global one). Included files are read in place; a Match inside an included file ends
// with that file. This module replays both passes over the parsed files, so `evaluate(client)` gives what
// `sshd -T -C user=…,host=…,addr=…` prints.
import { type TextRef, text } from '../../core/check';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import type { SshdComment, SshdFileSyntax } from './syntax';
import { type Directive, OptionStore, type Setting, directiveSpan } from './options';
import { type Client, type MatchCondition, conditionMatches } from './match';
import { Cursor, authMethodsKnown, runHandler } from './handlers';
import type { FirewallView } from '../ufw/docker-view';
import { COPIED_IN_MATCH, fillDefaults } from './fields';
import { MODELLED, dumpOption, listenEntries, listenHosts } from './dump';

export interface MatchBlock {
  /** Position of the block among the distinct blocks, in reading order. */
  index: number;
  directive: Directive;
  condition: MatchCondition;
}

export interface IncludeTarget {
  /** The argument as written and the pattern sshd globs for it. */
  argument: string;
  pattern: string;
  files: FileNode[];
  /** The folder the pattern lists was not found (its drop-ins are unknown here). */
  folderMissing: boolean;
}

export type Item =
  | { kind: 'directive'; directive: Directive }
  | { kind: 'match'; block: MatchBlock }
  | { kind: 'include'; directive: Directive; targets: IncludeTarget[]; problem?: TextRef };

export interface FileNode {
  source: SourceText;
  syntax: SshdFileSyntax;
  items: Item[];
}

/** A directive as one pass met it: in which Match block (lexically, across includes) and whether it was active. */
export interface Occurrence {
  directive: Directive;
  block?: MatchBlock;
  active: boolean;
  order: number;
}

const NEVER_MATCH = 1;
const MATCH_ONLY = 2;

/** Lines one pass reads at most (the same file included over and over multiplies them). */
const MAX_VISITS = 200_000;

interface Pass {
  visits: number;
  store: OptionStore;
  /** undefined: the start-up pass (no connection). */
  client?: Client;
  active: boolean;
  block?: MatchBlock;
  problems?: ParseProblem[];
  occurrences?: Occurrence[];
}

/** The options one client gets, with the directive that wrote each. */
export class Effective {
  constructor(readonly store: OptionStore) {}

  get(field: string): Setting {
    return this.store.get(field) ?? { value: '' };
  }

  value(field: string): string {
    return String(this.get(field).value);
  }

  /** The `sshd -T` lines of the modelled options, keyword first; options the model cannot print are left out. */
  dump(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const field of MODELLED) {
      const lines = dumpOption(field, this.store);
      if (lines) out.set(field, lines);
    }
    return out;
  }
}

export class SshdConfig {
  /** Problems sshd would refuse to start with, on the line that causes them. */
  readonly problems: ParseProblem[] = [];
  readonly blocks: MatchBlock[] = [];
  /** Every directive the start-up pass met, in reading order. */
  readonly occurrences: Occurrence[] = [];
  /** The global options after the start-up pass and the defaults (what a connection starts from). */
  readonly global: OptionStore = new OptionStore();
  /** Firewall files beside the configuration (see firewall.ts), set by the loader. */
  firewalls: FirewallView[] = [];
  private readonly cache = new Map<string, Effective>();
  private readonly reported = new Set<Directive | MatchBlock>();

  constructor(
    /** The file sshd reads first (sshd_config), and the file being linted (sshd_config or a drop-in). */
    readonly root: FileNode,
    readonly linted: SourceText,
    readonly sources: SourceText[],
  ) {
    this.collectBlocks(root, new Set());
    this.run({ visits: 0, store: this.global, active: true, problems: this.problems, occurrences: this.occurrences }, root, 0, 0);
    fillDefaults(this.global);
    this.startupChecks();
  }

  /** The file node of a source, when it is part of this configuration. */
  fileOf(path: string): FileNode | undefined {
    const seen = new Set<FileNode>();
    const visit = (node: FileNode): FileNode | undefined => {
      if (seen.has(node)) return undefined;
      seen.add(node);
      if (node.source.path === path) return node;
      for (const item of node.items)
        if (item.kind === 'include')
          for (const target of item.targets)
            for (const file of target.files) {
              const found = visit(file);
              if (found) return found;
            }
      return undefined;
    };
    return visit(this.root);
  }

  /** Full-line comments of the root file (templates such as `#PasswordAuthentication yes`). */
  get rootComments(): readonly SshdComment[] {
    return this.root.syntax.comments;
  }

  /** What a client gets (no client: the start-up values, as `sshd -T` without -C prints them). */
  evaluate(client: Client = {}): Effective {
    const key = JSON.stringify(client);
    let effective = this.cache.get(key);
    if (!effective) {
      const mo = new OptionStore();
      this.run({ visits: 0, store: mo, client, active: false }, this.root, MATCH_ONLY, 0);
      effective = new Effective(copyMatched(this.global, mo));
      if (this.cache.size > 256) this.cache.clear();
      this.cache.set(key, effective);
    }
    return effective;
  }

  /** The Match blocks a client matches, in reading order. */
  matchedBlocks(client: Client): MatchBlock[] {
    return this.blocks.filter((block) => !block.condition.all && conditionMatches(block.condition, client));
  }

  /**
   * The Include directive in `file` through which `target` is read (the span to report a finding that lives in
   * an included file), or undefined when `target` is not included from `file`.
   */
  includeLeadingTo(file: string, target: string): Directive | undefined {
    const node = this.fileOf(file);
    if (!node) return undefined;
    const reaches = (from: FileNode, seen: Set<FileNode>): boolean => {
      if (from.source.path === target) return true;
      if (seen.has(from)) return false;
      seen.add(from);
      return from.items.some((item) => item.kind === 'include' && item.targets.some((t) => t.files.some((f) => reaches(f, seen))));
    };
    for (const item of node.items) if (item.kind === 'include' && item.targets.some((t) => t.files.some((f) => reaches(f, new Set())))) return item.directive;
    return undefined;
  }

  private collectBlocks(node: FileNode, seen: Set<FileNode>): void {
    if (seen.has(node)) return;
    seen.add(node);
    for (const item of node.items) {
      if (item.kind === 'match') {
        item.block.index = this.blocks.length;
        this.blocks.push(item.block);
      }
      if (item.kind === 'include') for (const target of item.targets) for (const file of target.files) this.collectBlocks(file, seen);
    }
  }

  private problem(pass: Pass, owner: Directive | MatchBlock, message: TextRef, span: Span): void {
    if (!pass.problems || this.reported.has(owner)) return;
    this.reported.add(owner);
    pass.problems.push({ span, message });
  }

  private run(pass: Pass, node: FileNode, flags: number, depth: number): void {
    const items = node.items;
    const stops = pass.client ? nextStops(node) : undefined;
    for (let index = 0; index < items.length; index++) {
      const item = items[index]!;
      // A file read again and again through nested Includes is walked a bounded number of lines.
      if (++pass.visits > MAX_VISITS) return;
      if (stops && !pass.active && item.kind === 'directive') {
        // Connection pass outside a matching block: the directives up to the next Match or Include change
        // nothing, so they are counted and passed over at once.
        const stop = stops[index]!;
        pass.visits += stop - index - 1;
        if (pass.visits > MAX_VISITS) return;
        index = stop - 1;
        continue;
      }
      if (item.kind === 'match') {
        const { block } = item;
        const problem = block.condition.problem;
        if (problem) this.problem(pass, block, problem.message, problem.span ?? directiveSpan(block.directive));
        pass.active = flags & NEVER_MATCH ? false : conditionMatches(block.condition, pass.client);
        pass.block = block;
        flags &= ~MATCH_ONLY;
        continue;
      }
      if (item.kind === 'include') {
        if (item.problem) this.problem(pass, item.directive, item.problem, directiveSpan(item.directive));
        for (const target of item.targets)
          for (const file of target.files) {
            const active = pass.active;
            const block = pass.block;
            this.run(pass, file, flags & MATCH_ONLY ? MATCH_ONLY : active ? 0 : NEVER_MATCH, depth + 1);
            pass.active = active;
            pass.block = block;
          }
        continue;
      }
      this.directive(pass, item.directive);
    }
  }

  private directive(pass: Pass, directive: Directive): void {
    // On the connection pass an inactive line changes nothing (global-only keywords were applied at start-up).
    if (pass.client && !pass.active) return;
    const { line, spec } = directive;
    const span = directiveSpan(directive);
    if (!spec)
      return this.problem(pass, directive, text('sshd.unknown-keyword', { keyword: line.keyword.value }), {
        file: line.file,
        start: line.keyword.start,
        end: line.keyword.end,
      });
    if (line.restStart === undefined) return this.problem(pass, directive, text('sshd.no-argument', { keyword: line.keyword.value }), span);
    if (!line.args) return this.problem(pass, directive, text('sshd.invalid-quotes'), span);
    if (!pass.active && spec.scope === 'global') {
      // Start-up pass: a global-only keyword inside a Match block is fatal. Connection pass: already applied.
      if (!pass.client)
        this.problem(pass, directive, text('sshd.not-in-match', { keyword: line.keyword.value }), {
          file: line.file,
          start: line.keyword.start,
          end: line.keyword.end,
        });
      return;
    }
    pass.occurrences?.push({ directive, ...(pass.block ? { block: pass.block } : {}), active: pass.active, order: pass.occurrences.length });
    const args = new Cursor(directive.args);
    let failed = false;
    runHandler(spec.opcode, {
      directive,
      active: pass.active,
      store: pass.store,
      args,
      rest: line.content.slice(line.restStart - line.start),
      fail: (message, at) => {
        failed = true;
        this.problem(pass, directive, message, at ?? span);
      },
    });
    if (!failed && args.remaining > 0) {
      const extra = directive.args[directive.args.length - args.remaining]!;
      this.problem(pass, directive, text('sshd.extra-arguments', { keyword: line.keyword.value, extra: extra.value }), {
        file: line.file,
        start: extra.start,
        end: directive.args[directive.args.length - 1]!.end,
      });
    }
  }

  /** The checks sshd makes after reading the file and before it would listen. */
  private startupChecks(): void {
    const problem = (setting: Setting | undefined, message: TextRef) => {
      if (setting?.directive)
        this.problem({ visits: 0, store: this.global, active: true, problems: this.problems }, setting.directive, message, directiveSpan(setting.directive));
    };
    for (const [command, user] of [
      ['authorizedkeyscommand', 'authorizedkeyscommanduser'],
      ['authorizedprincipalscommand', 'authorizedprincipalscommanduser'],
    ] as const) {
      const setting = this.global.get(command);
      if (setting && String(setting.value).toLowerCase() !== 'none' && !this.global.has(user))
        problem(setting, text('sshd.command-without-user', { keyword: setting.directive!.line.keyword.value, user }));
    }
    const methods = this.global.get('authenticationmethods');
    if (methods && !(methods.value as readonly string[]).some((list) => authMethodsEnabled(list, this.global)))
      problem(methods, text('sshd.auth-methods-unsatisfiable'));
    const family = String(this.global.get('addressfamily')?.value ?? 'any');
    const listen = this.global.get('listenaddress');
    if (listen)
      for (const [index, entry] of listenEntries(this.global).entries()) {
        const hosts = listenHosts(entry.host, family);
        if (hosts && hosts.length === 0) problem({ value: '', directive: listen.writers![index]! }, text('sshd.listen-family', { family }));
      }
  }
}

const stopsOf = new WeakMap<FileNode, Int32Array>();

/** For each item of a file, the index of the first Match or Include at or after it (items.length when none). */
function nextStops(node: FileNode): Int32Array {
  let stops = stopsOf.get(node);
  if (!stops) {
    stops = new Int32Array(node.items.length);
    let next = node.items.length;
    for (let i = node.items.length - 1; i >= 0; i--) {
      if (node.items[i]!.kind !== 'directive') next = i;
      stops[i] = next;
    }
    stopsOf.set(node, stops);
  }
  return stops;
}

/** auth2_methods_valid(list, 1): every method of the list is known and switched on. */
export function authMethodsEnabled(list: string, options: OptionStore): boolean {
  if (!authMethodsKnown(list)) return false;
  const on = (field: string) => options.get(field)?.value === 'yes';
  return list.split(',').every((entry) => {
    const method = entry.split(':')[0];
    if (method === 'none') return true;
    if (method === 'publickey') return on('pubkeyauthentication');
    if (method === 'password') return on('passwordauthentication');
    if (method === 'keyboard-interactive') return on('kbdinteractiveauthentication');
    if (method === 'hostbased') return on('hostbasedauthentication');
    return on('gssapiauthentication');
  });
}

/** copy_set_server_options(): the options a matching block set replace the global ones. */
function copyMatched(global: OptionStore, matched: OptionStore): OptionStore {
  const out = new OptionStore();
  for (const field of global.fields()) out.set(field, global.get(field)!);
  for (const field of matched.fields()) {
    if (!COPIED_IN_MATCH.has(field)) continue;
    const setting = matched.get(field)!;
    if ((field === 'forcecommand' || field === 'chrootdirectory') && String(setting.value).toLowerCase() === 'none') out.delete(field);
    else out.set(field, setting);
  }
  return out;
}
