// How Exim reads its configuration (spec chapter 6, readconf.c): every physical line has its macros
// substituted first; then whole-line comments (`#`), the conditionals `.ifdef`/`.ifndef`/`.elifdef`/
// `.elifndef`/`.else`/`.endif` (true when a macro was substituted in the rest of the line) and `.include` /
// `.include_if_exists` are handled on physical lines; a trailing backslash joins the next line with its
// leading white space removed; a logical line `NAME = value` whose name starts with an upper-case letter
// defines a macro (`==` redefines one). Debian's split configuration is the same text spread over files.
import { type TextRef, text } from '../../core/check';
import type { FileAccess, Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import { dirname, readReferenced } from '../shared/paths';
import { Tracked } from './tracked';

export interface Macro {
  name: string;
  value: Tracked;
  /** Where it is defined (absent for macros seeded from update-exim4.conf.conf's computed values). */
  span?: Span;
}

export interface LogicalLine {
  text: Tracked;
  /** From the first character of the first physical line to the end of the last one (in one file). */
  span: Span;
  /** The section the line belongs to (`main` before the first `begin`). */
  section: string;
}

export interface ReadProblem {
  span: Span;
  message: TextRef;
}

export interface ReaderInput {
  files: FileAccess;
  /** Macros known before the first line (Exim's -D options); defined before any the files define. */
  macros?: Macro[];
  /** Inserted after the logical line that defines `UPEX4CmacrosUPEX4C` (Debian's update-exim4.conf). */
  debianMacros?: Macro[];
  /** The section the first file starts in (a conf.d fragment read alone). */
  section?: string;
}

const MAX_INCLUDE_DEPTH = 10;
const MAX_LINES = 200_000;
/**
 * How much text macro substitution may insert over a whole configuration: Debian's template inserts a few
 * kilobytes; macros defined from macros can double at every step, and past this the rest is read as written.
 */
const MAX_EXPANDED = 1 << 20;
const MACRO_DEFINITION = /^([A-Z][A-Za-z0-9_]*)\s*(==?)\s*/;

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Set where a macro name ends. */
  name?: string;
}

interface Condition {
  /** 0: lines are used; 1: looking for a true branch; 2: a branch was taken, skip the rest. */
  state: 0 | 1 | 2;
  /** The state outside the conditional was "skipping". */
  outerSkipping: boolean;
}

export class EximReader {
  readonly macros = new Map<string, Macro>();
  readonly lines: LogicalLine[] = [];
  readonly problems: ReadProblem[] = [];
  readonly sources: SourceText[] = [];
  /** Includes that could not be read: the model cannot see what they add. */
  readonly missingIncludes: Span[] = [];
  private section: string;
  private conditions: Condition[] = [];
  private pending: { parts: Tracked[]; span: Span } | undefined;
  private physicalLines = 0;
  /** Substitution was cut short somewhere (reported once, on the file being read). */
  private tooLong = false;
  private inserted = 0;

  constructor(private readonly input: ReaderInput) {
    this.section = input.section ?? 'main';
    for (const macro of input.macros ?? []) this.define(macro);
  }

  private get skipping(): boolean {
    return this.conditions.some((condition) => condition.state !== 0);
  }

  /** Reads one file (and what it includes); several calls read a split configuration in order. */
  async read(source: SourceText, depth = 0): Promise<void> {
    if (!this.sources.includes(source)) this.sources.push(source);
    const text = source.text;
    let offset = 0;
    while (offset <= text.length && this.physicalLines < MAX_LINES) {
      let end = text.indexOf('\n', offset);
      if (end < 0) end = text.length;
      const raw = text.slice(offset, end > offset && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      // Only an include makes a line wait (for the included file): other lines are read without a promise each.
      const including = this.physicalLine(source, raw, offset, depth);
      if (including) await including;
      this.physicalLines++;
      offset = end + 1;
    }
    this.flush();
  }

  private physicalLine(source: SourceText, raw: string, offset: number, depth: number): Promise<void> | undefined {
    const wasTooLong = this.tooLong;
    const { expanded, found } = this.expand(Tracked.at(source.path, offset, raw));
    if (this.tooLong && !wasTooLong)
      this.problems.push({ span: { file: source.path, start: offset, end: offset + raw.length }, message: text('exim.macro-expansion-too-long') });
    const body = expanded.trim();
    const lineSpan: Span = { file: source.path, start: offset, end: offset + raw.length };
    // A comment line inside a continued line is skipped; an empty line ends it.
    if (body.text.startsWith('#')) return;
    if (body.text === '') {
      if (!this.skipping) this.flush();
      return;
    }
    if (body.text.startsWith('.')) {
      // `.name argument`: split in code (one regex `^\.(\w+)\s*(.*)$` backtracks quadratically).
      const head = /^\.(\w+)/.exec(body.text);
      const argument = head ? body.text.slice(head[0].length).replace(/^\s+/, '') : '';
      const directive = head && !/[\n\r\u2028\u2029]/.test(argument) ? [head[0], head[1]!, argument] : undefined;
      const name = directive?.[1] ?? '';
      if (this.conditional(name, found, lineSpan)) return;
      if (name === 'include' || name === 'include_if_exists') {
        if (this.skipping) return;
        this.flush();
        return this.include(source, body.slice(body.text.length - directive![2]!.length).trim(), name === 'include', depth, lineSpan);
      }
    }
    if (this.skipping) return;
    const content = body;
    const continued = content.text.endsWith('\\');
    const part = continued ? content.slice(0, content.text.length - 1) : content;
    if (this.pending) {
      this.pending.parts.push(part);
      this.pending.span = { ...this.pending.span, end: source.path === this.pending.span.file ? lineSpan.end : this.pending.span.end };
    } else this.pending = { parts: [part], span: lineSpan };
    if (!continued) this.flush();
  }

  /** Handles a conditional directive; false when the line is not one. */
  private conditional(name: string, found: boolean, span: Span): boolean {
    const top = this.conditions[this.conditions.length - 1];
    switch (name) {
      case 'ifdef':
      case 'ifndef': {
        const outerSkipping = this.skipping;
        const holds = name === 'ifdef' ? found : !found;
        this.conditions.push({ state: outerSkipping ? 2 : holds ? 0 : 1, outerSkipping });
        return true;
      }
      case 'elifdef':
      case 'elifndef':
      case 'else': {
        if (!top) this.problems.push({ span, message: text('exim.unexpected-directive', { directive: `.${name}` }) });
        else if (top.state === 0) top.state = 2;
        else if (top.state === 1) {
          const holds = name === 'else' ? true : name === 'elifdef' ? found : !found;
          if (holds) top.state = 0;
        }
        return true;
      }
      case 'endif':
        if (!this.conditions.pop()) this.problems.push({ span, message: text('exim.unexpected-directive', { directive: '.endif' }) });
        return true;
      default:
        return false;
    }
  }

  private async include(from: SourceText, path: Tracked, required: boolean, depth: number, span: Span): Promise<void> {
    if (depth >= MAX_INCLUDE_DEPTH) {
      this.problems.push({ span, message: text('exim.include-too-deep') });
      return;
    }
    const file = await readReferenced(this.input.files, path.text, dirname(from.path), '/etc/exim4');
    if (!file) {
      if (required) this.missingIncludes.push(span);
      return;
    }
    await this.read(file, depth + 1);
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    const line = Tracked.join(pending.parts);
    const definition = MACRO_DEFINITION.exec(line.text);
    if (definition) {
      const [whole, name, equals] = definition;
      const value = line.slice(whole!.length).trim();
      const contained = [...this.macros.keys()].find((other) => other !== name && name!.includes(other));
      if (this.macros.has(name!) && equals === '=') this.problems.push({ span: pending.span, message: text('exim.macro-redefined', { name: name! }) });
      else if (contained && !this.macros.has(name!))
        this.problems.push({ span: pending.span, message: text('exim.macro-contains-macro', { name: name!, other: contained }) });
      else this.define({ name: name!, value, span: pending.span });
      if (name === 'UPEX4CmacrosUPEX4C') for (const macro of this.input.debianMacros ?? []) this.definePreprocessed(macro);
      return;
    }
    const begin = /^begin\s+(\w+)\s*$/.exec(line.text);
    if (begin) {
      this.section = begin[1]!.toLowerCase();
      return;
    }
    this.lines.push({ text: line, span: pending.span, section: this.section });
  }

  /** Macro names as a trie: the longest name starting at a position is found in one walk (linear files). */
  private readonly trie: TrieNode = { next: new Map() };

  private define(macro: Macro): void {
    let node = this.trie;
    for (const char of macro.name) {
      let child = node.next.get(char);
      if (!child) node.next.set(char, (child = { next: new Map() }));
      node = child;
    }
    node.name = macro.name;
    this.macros.set(macro.name, macro);
  }

  /** The longest macro name that starts at `i` in `text`. */
  private longestAt(text: string, i: number): Macro | undefined {
    let node: TrieNode | undefined = this.trie;
    let found: string | undefined;
    for (let j = i; j < text.length && node; j++) {
      node = node.next.get(text[j]!);
      if (node?.name) found = node.name;
    }
    return found ? this.macros.get(found) : undefined;
  }

  /** Debian's `.ifndef NAME / NAME=value / .endif` blocks, as update-exim4.conf writes them. */
  private definePreprocessed(macro: Macro): void {
    if (!this.macros.has(macro.name)) this.define(macro);
  }

  /**
   * Substitutes macros in one physical line: at every position, the macro name that starts there is replaced
   * (the longest: Exim refuses a new name that contains an older one, so the longest is also the oldest). A
   * macro definition's own name is not replaced.
   */
  expand(line: Tracked): { expanded: Tracked; found: boolean } {
    if (this.macros.size === 0 || this.tooLong) return { expanded: line, found: false };
    const source = line.text;
    const skip = /^\s*[A-Z][A-Za-z0-9_]*\s*==?/.exec(source)?.[0].length ?? 0;
    const parts: Tracked[] = [];
    let found = false;
    let copied = 0;
    for (let i = skip; i < source.length; i++) {
      // Exim looks for macro names anywhere, even inside a word (`XNET` holds `NET`).
      const code = source.charCodeAt(i);
      if (!((code >= 65 && code <= 90) || code === 95)) continue;
      const best = this.longestAt(source, i);
      if (!best) continue;
      // Past the budget nothing more is substituted (see MAX_EXPANDED).
      this.inserted += best.value.text.length;
      if (this.inserted > MAX_EXPANDED) {
        this.tooLong = true;
        break;
      }
      found = true;
      parts.push(line.slice(copied, i), best.value);
      copied = i + best.name.length;
      i = copied - 1;
    }
    if (!found) return { expanded: line, found };
    parts.push(line.slice(copied));
    return { expanded: Tracked.join(parts), found };
  }
}
