// The option values one parse pass produces, with the directive that wrote each, as servconf.c's ServerOptions
// holds them: unset until a directive sets them, defaults filled in afterwards.
import type { Span } from '../../core/types';
import type { SshdLine, SshdToken } from './syntax';
import type { KeywordSpec } from './keywords';

/** One line of a file, read as a keyword with its arguments. */
export interface Directive {
  line: SshdLine;
  /** Undefined for a keyword sshd does not know. */
  spec?: KeywordSpec;
  args: readonly SshdToken[];
}

export interface MaxStartupsValue {
  begin?: number;
  rate?: number;
  max?: number;
}

export type OptionValue = string | number | readonly string[] | readonly number[] | MaxStartupsValue;

export interface Setting {
  value: OptionValue;
  /** The directive that wrote the value; undefined for a compiled-in default. */
  directive?: Directive;
  /** For list options: the directive of each element. */
  writers?: readonly Directive[];
}

export class OptionStore {
  private readonly values = new Map<string, Setting>();
  /** Settings whose lists this store created, so it may grow them in place. */
  private readonly owned = new WeakSet<Setting>();

  has(field: string): boolean {
    return this.values.has(field);
  }

  get(field: string): Setting | undefined {
    return this.values.get(field);
  }

  set(field: string, setting: Setting): void {
    this.values.set(field, setting);
  }

  delete(field: string): void {
    this.values.delete(field);
  }

  fields(): IterableIterator<string> {
    return this.values.keys();
  }

  /** Appends one list element written by `directive` (in place: lists grow line by line, thousands of lines long). */
  append(field: string, value: string | number, directive: Directive): void {
    const current = this.values.get(field);
    if (current && this.owned.has(current)) {
      (current.value as Array<string | number>).push(value);
      (current.writers as Directive[]).push(directive);
      return;
    }
    const list = [...((current?.value as readonly (string | number)[] | undefined) ?? []), value] as string[] | number[];
    const setting: Setting = { value: list, directive: current?.directive ?? directive, writers: [...(current?.writers ?? []), directive] };
    this.owned.add(setting);
    this.values.set(field, setting);
  }

  /** The number of elements a list option holds (0 when unset). */
  count(field: string): number {
    const value = this.values.get(field)?.value;
    return Array.isArray(value) ? value.length : 0;
  }
}

export function directiveSpan(directive: Directive): Span {
  return { file: directive.line.file, start: directive.line.start, end: directive.line.end };
}

/** The span of the value a directive writes: its arguments, or the keyword when it has none. */
export function valueSpan(directive: Directive): Span {
  const first = directive.args[0];
  const last = directive.args[directive.args.length - 1];
  if (!first || !last) return { file: directive.line.file, start: directive.line.keyword.start, end: directive.line.keyword.end };
  return { file: directive.line.file, start: first.start, end: last.end };
}
