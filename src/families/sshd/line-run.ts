// The machinery every keyword handler shares: the arguments of one line, the pass it is read in, and the ways
// servconf.c stores a value (first value read while active, last value, lists).
import { type TextRef, text } from '../../core/check';
import type { Span } from '../../core/types';
import type { SshdToken } from './syntax';
import type { Directive, OptionStore } from './options';
import * as v from './values';

export class Cursor {
  private index = 0;
  constructor(readonly tokens: readonly SshdToken[]) {}
  next(): SshdToken | undefined {
    return this.tokens[this.index++];
  }
  peek(): SshdToken | undefined {
    return this.tokens[this.index];
  }
  get remaining(): number {
    return Math.max(0, this.tokens.length - this.index);
  }
  consumeAll(): void {
    this.index = this.tokens.length;
  }
}

export interface LineRun {
  directive: Directive;
  active: boolean;
  store: OptionStore;
  args: Cursor;
  /** The text after the keyword as sshd's `str` holds it (ForceCommand, AuthorizedKeysCommand). */
  rest: string;
  fail(message: TextRef, span?: Span): void;
}

export type Handler = (run: LineRun) => void;

export const tokenSpan = (run: LineRun, token: SshdToken | undefined): Span | undefined =>
  token ? { file: run.directive.line.file, start: token.start, end: token.end } : undefined;

export function keywordName(run: LineRun): string {
  return run.directive.line.keyword.value;
}

export function missing(run: LineRun): void {
  run.fail(text('sshd.missing-argument', { keyword: keywordName(run) }));
}

export function bad(run: LineRun, token: SshdToken): void {
  run.fail(text('sshd.bad-value', { keyword: keywordName(run), value: token.value }), tokenSpan(run, token));
}

/** The first value read while active wins (`if (*activep && *intptr == -1)`). */
export function first(run: LineRun, field: string, value: v.Multistate[string] | number | readonly string[]): void {
  if (run.active && !run.store.has(field)) run.store.set(field, { value, directive: run.directive });
}

/** The last value read while active wins (no "unset" test in the C code). */
export function last(run: LineRun, field: string, value: string | number | readonly number[]): void {
  if (run.active) run.store.set(field, { value, directive: run.directive });
}

export function required(run: LineRun): SshdToken | undefined {
  const token = run.args.next();
  if (!token || token.value === '') {
    missing(run);
    return undefined;
  }
  return token;
}

export const multistateHandler =
  (field: string, table: v.Multistate): Handler =>
  (run) => {
    const token = required(run);
    if (!token) return;
    const value = v.multistate(table, token.value);
    if (value === undefined) bad(run, token);
    else first(run, field, value);
  };

export const flag = (field: string) => multistateHandler(field, v.FLAG);

export const integer =
  (field: string): Handler =>
  (run) => {
    const token = run.args.next();
    const value = v.parseInteger(token?.value);
    if (value === undefined) return token ? bad(run, token) : missing(run);
    first(run, field, value);
  };

export const time =
  (field: string): Handler =>
  (run) => {
    const token = required(run);
    if (!token) return;
    const value = v.parseTime(token.value);
    if (value === undefined) bad(run, token);
    else first(run, field, value);
  };

/** A single word kept as written (first value wins); `none` keeps its meaning for the caller. */
export const word =
  (field: string, check?: (value: string) => boolean): Handler =>
  (run) => {
    const token = required(run);
    if (!token) return;
    if (check && !check(token.value)) bad(run, token);
    else first(run, field, token.value);
  };

/** A keyword whose value is read and checked for presence only (not modelled further). */
export const opaque: Handler = (run) => {
  required(run);
};

/** Keywords sshd accepts and ignores (deprecated, unsupported on this build): every argument is consumed. */
export const ignored: Handler = (run) => run.args.consumeAll();

/** Appends every argument while active (AllowUsers, AcceptEnv, …), after validating each. */
export const accumulate =
  (field: string, valid: (value: string) => boolean): Handler =>
  (run) => {
    for (let token = run.args.next(); token; token = run.args.next()) {
      if (!valid(token.value)) return bad(run, token);
      if (run.active) run.store.append(field, token.value, run.directive);
    }
  };

/** Only the first line that is read while active adds its arguments (AuthorizedKeysFile, SetEnv, …). */
export const firstLine =
  (field: string, valid: (value: string) => boolean): Handler =>
  (run) => {
    const empty = run.store.count(field) === 0;
    for (let token = run.args.next(); token; token = run.args.next()) {
      if (!valid(token.value)) return bad(run, token);
      if (run.active && empty) run.store.append(field, token.value, run.directive);
    }
  };
