import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import type { Definition, MainCf } from './main-cf';
import type { MasterCf, MasterService, Override } from './master-cf';
import { TrackedText } from './tracked-text';
import { expand } from './expand';
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

/**
 * main.cf and master.cf read together, as Postfix reads them: the smtpd services of master.cf with their
 * `-o` overrides on top of main.cf, on top of the built-in defaults.
 */
export class PostfixConfig {
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

  /** smtpd processes that accept network connections (inet, or `pass` behind postscreen). */
  get smtpdServices(): MasterService[] {
    if (!this.master) return [];
    return this.master.services.filter((service) => service.command === 'smtpd' && (service.type === 'inet' || service.type === 'pass'));
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

  private lookup(service: MasterService | undefined): (name: string) => TrackedText | undefined {
    return (name) => this.rawValue(name, service)?.value;
  }

  private rawValue(name: string, service: MasterService | undefined): { value: TrackedText; origin: Origin } | undefined {
    const override = service?.overrides.get(name);
    if (override && service) return { value: override.value, origin: { kind: 'override', override, service } };
    const definition = this.main?.effective.get(name);
    if (definition) return { value: definition.value, origin: { kind: 'main', definition } };
    const builtin = defaultValue(name, this.expandedText('compatibility_level', service));
    if (builtin !== undefined) return { value: TrackedText.plain(builtin), origin: { kind: 'default' } };
    return undefined;
  }

  private expandedText(name: string, service: MasterService | undefined): string {
    if (name === 'compatibility_level') {
      const raw = service?.overrides.get(name)?.value ?? this.main?.effective.get(name)?.value;
      return raw ? expand(raw, this.lookup(service)).text : '0';
    }
    return this.parameter(name, service).expanded.text;
  }

  /** The effective value of a parameter for a service (undefined: main.cf alone), expanded. */
  parameter(name: string, service?: MasterService): ParameterValue {
    const found = this.rawValue(name, service);
    if (!found) return { name, raw: TrackedText.plain(''), expanded: TrackedText.plain(''), origin: { kind: 'default' } };
    return { name, raw: found.value, expanded: expand(found.value, this.lookup(service)), origin: found.origin };
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
    return splitList(this.parameter(name, service).expanded);
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

export function splitList(value: TrackedText): TrackedText[] {
  const items: TrackedText[] = [];
  const text = value.text;
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[\s,]/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    if (text[i] === '{') {
      const close = text.indexOf('}', i);
      i = close < 0 ? text.length : close + 1;
    } else while (i < text.length && !/[\s,]/.test(text[i]!)) i++;
    items.push(value.slice(start, i));
  }
  return items;
}
