import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import type { Definition, MainCf } from './main-cf';
import type { MasterCf, MasterService, Override } from './master-cf';
import { TrackedText, isSpaceCode } from './tracked-text';
import { MAX_NESTING, type Resolved, expandValue } from './expand';
import { defaultValue } from './defaults';

/** Where a parameter's value came from for one service. */
export type Origin = { kind: 'main'; definition: Definition } | { kind: 'override'; override: Override; service: MasterService } | { kind: 'default' };

export interface ParameterValue {
  name: string;
  raw: TrackedText;
  expanded: TrackedText;
  origin: Origin;
}

/** A file named in a list (`/etc/postfix/mynetworks`, `cidr:/etc/postfix/trusted.cidr`) and its items. */
export interface ListFile {
  source: SourceText;
  /** One entry per pattern, with the text as written (the left column for cidr: tables). */
  items: TrackedText[];
}

/** Why a parameter could not be expanded: Postfix stops with a fatal error for the first two. */
export interface ExpansionProblem {
  /** 'restriction-classes': a restriction list expands through its classes to more than MAX_RESTRICTION_ITEMS. */
  kind: 'loop' | 'nesting' | 'too-long' | 'restriction-classes';
  /** The parameter whose definition is at fault, and the names of the loop in order (loop only). */
  name: string;
  loop: string[];
  /** Where that definition is written (main.cf or a master.cf -o), when it is written. */
  span?: Span;
}

type Memo = Map<string, Resolved | 'busy'>;

/** A reference in a value: `$name`, `${name...}`, `$(name...)` (a `$$` escape may count too: only more is read). */
const REFERENCE = /\$[{(]?([A-Za-z0-9_]+)/g;
const REFERENCE_ONE = /\$[{(]?([A-Za-z0-9_]+)/;
/** Names one parameter's expansion may read before services stop sharing main.cf's expansions for it. */
const MAX_TRACKED_NAMES = 256;

/**
 * main.cf and master.cf read together, as Postfix reads them: the smtpd services of master.cf with their
 * `-o` overrides on top of main.cf, on top of the built-in defaults.
 *
 * Each parameter is expanded at most once per service (memoised), so checks may ask as often as they like;
 * a `$name` loop, nesting beyond mac_expand's 100 levels and an oversized expansion make the parameter (and
 * every parameter that uses it) expand to nothing, with the cause kept in `expansionProblems`.
 */
export class PostfixConfig {
  /** Expansion failures, each once, in the order found. */
  readonly expansionProblems: ExpansionProblem[] = [];
  private readonly reportedProblems = new Set<string>();
  /** Per service (undefined: main.cf alone, also used for services without overrides). */
  private readonly memos = new Map<MasterService | undefined, Memo>();
  private readonly cache = new Map<MasterService | undefined, Map<string, unknown>>();
  /** Per name, what readsOf found (undefined: too many names to track). */
  private readonly reads = new Map<string, ReadonlySet<string> | undefined>();
  /** The names being expanded, innermost last, for naming a loop. */
  private readonly expanding: string[] = [];

  constructor(
    readonly main: MainCf | undefined,
    readonly master: MasterCf | undefined,
    /** Files referenced from lists, keyed by the reference as written (after expansion). */
    readonly listFiles: Map<string, ListFile>,
  ) {}

  /** The text of a file this model was read from (main.cf, master.cf or a list file). */
  sourceOf(file: string): SourceText | undefined {
    if (this.main?.source.path === file) return this.main.source;
    if (this.master?.source.path === file) return this.master.source;
    return [...this.listFiles.values()].find((list) => list.source.path === file)?.source;
  }

  /**
   * A value computed once per model, service and key (restriction analyses, mynetworks entries): checks that
   * need the same derived facts share them.
   */
  cached<T>(key: string, service: MasterService | undefined, compute: () => T): T {
    let values = this.cache.get(service);
    if (!values) {
      values = new Map();
      this.cache.set(service, values);
    }
    if (values.has(key)) return values.get(key) as T;
    const value = compute();
    values.set(key, value);
    return value;
  }

  /** smtpd processes that accept network connections (inet, or `pass` behind postscreen). */
  get smtpdServices(): MasterService[] {
    if (!this.master) return [];
    return this.cached('smtpd-services', undefined, () =>
      this.master!.services.filter((service) => service.command === 'smtpd' && (service.type === 'inet' || service.type === 'pass')),
    );
  }

  /**
   * The services to evaluate: every network smtpd, or, with no master.cf at hand, one implicit
   * `smtp inet ... smtpd` with no overrides (every Postfix installation has one).
   */
  get evaluatedServices(): Array<MasterService | undefined> {
    return this.master ? this.smtpdServices : [undefined];
  }

  /** The smtpd that answers on port 25: `smtp inet ... smtpd`, or the `smtpd pass` behind postscreen. */
  get port25Service(): MasterService | undefined {
    const services = this.master?.services ?? [];
    const listener = services.find((service) => service.type === 'inet' && service.port === 25);
    if (listener?.command === 'smtpd') return listener;
    if (listener?.command === 'postscreen') return services.find((service) => service.type === 'pass' && service.command === 'smtpd');
    return undefined;
  }

  /** Services without overrides see main.cf alone: they share its expansions. */
  private contextOf(service: MasterService | undefined): MasterService | undefined {
    return service && service.overrides.size > 0 ? service : undefined;
  }

  private rawValue(name: string, service: MasterService | undefined): { value: TrackedText; origin: Origin } | undefined {
    const override = service?.overrides.get(name);
    if (override && service) return { value: override.value, origin: { kind: 'override', override, service } };
    const definition = this.main?.effective.get(name);
    if (definition) return { value: definition.value, origin: { kind: 'main', definition } };
    const builtin = defaultValue(name, () => this.expandedText('compatibility_level', service));
    if (builtin !== undefined) return { value: TrackedText.plain(builtin), origin: { kind: 'default' } };
    return undefined;
  }

  private expandedText(name: string, service: MasterService | undefined): string {
    const found = this.resolve(name, this.contextOf(service));
    return found === 'failed' ? '' : found.text.text;
  }

  /** Where a parameter's value is written for a service, for naming it in a problem. */
  private writtenSpan(name: string, service: MasterService | undefined): Span | undefined {
    return service?.overrides.get(name)?.span ?? this.main?.effective.get(name)?.span;
  }

  private fail(problem: ExpansionProblem): 'failed' {
    const key = `${problem.kind}:${problem.span?.file ?? ''}:${problem.span?.start ?? problem.name}`;
    if (!this.reportedProblems.has(key)) {
      this.reportedProblems.add(key);
      this.expansionProblems.push(problem);
    }
    return 'failed';
  }

  /** A restriction list whose classes expand beyond MAX_RESTRICTION_ITEMS: only the items before the limit are read. */
  restrictionLimit(name: string, service: MasterService | undefined): void {
    const span = this.writtenSpan(name, this.contextOf(service));
    this.fail({ kind: 'restriction-classes', name, loop: [], ...(span ? { span } : {}) });
  }

  /** A parameter expanded for a service context (memoised), or 'failed'. */
  private resolve(name: string, service: MasterService | undefined): Resolved {
    let memo = this.memos.get(service);
    if (!memo) {
      memo = new Map();
      this.memos.set(service, memo);
    }
    const known = memo.get(name);
    if (known === undefined && service && this.unaffected(name, service)) {
      // The overrides touch nothing this name reads: its expansion is main.cf's (computed once for every service).
      const shared = this.resolve(name, undefined);
      memo.set(name, shared);
      return shared;
    }
    if (known === 'busy') {
      // A loop: the names from the first use of this one to here. Reported on the first of them that is written.
      const loop = this.expanding.slice(this.expanding.lastIndexOf(name));
      const culprit = loop.find((member) => this.writtenSpan(member, service)) ?? name;
      const span = this.writtenSpan(culprit, service);
      return this.fail({ kind: 'loop', name: culprit, loop: [...loop, name], ...(span ? { span } : {}) });
    }
    if (known) return known;
    memo.set(name, 'busy');
    this.expanding.push(name);
    let result: Resolved;
    try {
      const raw = this.rawValue(name, service);
      if (!raw) result = { text: TrackedText.plain(''), height: 0 };
      else {
        const span = this.writtenSpan(name, service);
        result = expandValue(
          raw.value,
          (inner) => this.resolve(inner, service),
          () => this.fail({ kind: 'too-long', name, loop: [], ...(span ? { span } : {}) }),
        );
        if (result !== 'failed' && result.height > MAX_NESTING) result = this.fail({ kind: 'nesting', name, loop: [], ...(span ? { span } : {}) });
      }
    } finally {
      this.expanding.pop();
    }
    memo.set(name, result);
    return result;
  }

  /**
   * Names an expansion of `name` may read in main.cf: itself, every name its value refers to (`$x`, `${x...}`,
   * `$(x)`, in either branch of a conditional), transitively, and compatibility_level when a built-in default is
   * read. Read from the text, nothing expanded; undefined past MAX_TRACKED_NAMES (then nothing is shared).
   */
  private readsOf(name: string): ReadonlySet<string> | undefined {
    if (this.reads.has(name)) return this.reads.get(name);
    const names = new Set<string>([name]);
    const queue = [name];
    let result: Set<string> | undefined = names;
    for (let index = 0; index < queue.length && result; index++) {
      const definition = this.main?.effective.get(queue[index]!);
      const found = definition ? definition.value.text.matchAll(REFERENCE) : ['$compatibility_level'.match(REFERENCE_ONE)!];
      for (const match of found) {
        const reference = match[1]!;
        if (names.has(reference)) continue;
        if (names.size >= MAX_TRACKED_NAMES) {
          result = undefined;
          break;
        }
        names.add(reference);
        queue.push(reference);
      }
    }
    this.reads.set(name, result);
    return result;
  }

  /** No override of `service` is among the names `name` reads in main.cf. */
  private unaffected(name: string, service: MasterService): boolean {
    if (service.overrides.has(name)) return false;
    const reads = this.readsOf(name);
    if (!reads) return false;
    for (const overridden of service.overrides.keys()) if (reads.has(overridden)) return false;
    return true;
  }

  /**
   * The context to compute something for `service` in when it reads only `names` (through parameter and list):
   * undefined (main.cf's, shared by every service) when no override of the service touches them.
   */
  sharedContext(service: MasterService | undefined, names: readonly string[]): MasterService | undefined {
    const context = this.contextOf(service);
    return context && names.some((name) => !this.unaffected(name, context)) ? context : undefined;
  }

  /** The effective value of a parameter for a service (undefined: main.cf alone), expanded. */
  parameter(name: string, service?: MasterService): ParameterValue {
    const context = this.contextOf(service);
    if (context && this.unaffected(name, context)) return this.parameter(name);
    return this.cached(`parameter:${name}`, context, () => {
      const found = this.rawValue(name, context);
      if (!found) return { name, raw: TrackedText.plain(''), expanded: TrackedText.plain(''), origin: { kind: 'default' } };
      const expanded = this.resolve(name, context);
      return { name, raw: found.value, expanded: expanded === 'failed' ? TrackedText.plain('') : expanded.text, origin: found.origin };
    });
  }

  /** True when the value was written by the user (main.cf or an override), not a built-in default. */
  isExplicit(name: string, service?: MasterService): boolean {
    return this.rawValue(name, service)?.origin.kind !== 'default' && this.rawValue(name, service) !== undefined;
  }

  /** yes/no parameters: Postfix accepts yes/true/no/false in any case. */
  isYes(name: string, service?: MasterService): boolean {
    return /^(yes|true)$/i.test(this.parameter(name, service).expanded.text.trim());
  }

  /** List items of an expanded parameter: separated by commas and/or whitespace, `{ ... }` kept whole. */
  list(name: string, service?: MasterService): TrackedText[] {
    const context = this.contextOf(service);
    if (context && this.unaffected(name, context)) return this.list(name);
    return this.cached(`list:${name}`, this.contextOf(service), () => splitList(this.parameter(name, service).expanded));
  }

  /** Where a parameter's effective value is written, for locating findings and fixes. */
  originSpan(value: ParameterValue): Span | undefined {
    switch (value.origin.kind) {
      case 'main':
        return value.origin.definition.span;
      case 'override':
        return value.origin.override.span;
      default:
        return undefined;
    }
  }
}

const isSeparator = (code: number) => code === 44 || isSpaceCode(code);

export function splitList(value: TrackedText): TrackedText[] {
  const items: TrackedText[] = [];
  const text = value.text;
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSeparator(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    if (text[i] === '{') {
      const close = text.indexOf('}', i);
      i = close < 0 ? text.length : close + 1;
    } else while (i < text.length && !isSeparator(text.charCodeAt(i))) i++;
    items.push(value.slice(start, i));
  }
  return items;
}
