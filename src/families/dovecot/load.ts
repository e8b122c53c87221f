// Reads a Dovecot configuration with its includes as config-parser.c does: `!include` and `!include_try`
// paths are relative to the including file, globs expand in name order (GLOB_BRACE too), and the section
// stack runs on across files. A file of conf.d/ is read inside the dovecot.conf that includes it.
import { type TextRef, text } from '../../core/check';
import type { FileAccess, Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import { LIMITS, limitProblem } from '../../core/limits';
import { SourceText } from '../../core/source';
import { AddressSet, parseRange } from '../../net';
import { basename, dirname, joinPath } from '../shared/paths';
import { globFiles } from '../shared/glob-files';
import { type DovecotLine, parseDovecot } from './syntax';
import {
  DEFAULTS,
  type DovecotSetting,
  DovecotConfig,
  type Filter,
  type NetFilter,
  type SectionFrame,
  dovecotBool,
  dovecotMilliseconds,
  filterKey,
} from './model';

const MAX_INCLUDE_DEPTH = 16;
/** Sections inside one another that are read (the core's nesting limit); deeper ones only have their braces matched. */
const MAX_NESTING = LIMITS['nesting-depth'];
/**
 * Longest value `$variable` expansion may build: each `a = $b $b` doubles what it refers to, so a few dozen
 * lines would need more memory than exists (Dovecot itself would run out of it).
 */
export const MAX_EXPANDED_VALUE = 64 * 1024;
const SERVER_FOLDER = '/etc/dovecot';
const FILTER_TYPES = new Set(['protocol', 'local', 'remote', 'local_name']);

interface Frame {
  /** Inside sections nested deeper than the nesting limit: braces are still matched, nothing else is read. */
  tooDeep?: boolean;
  filter: Filter;
  filterSpan?: Span;
  sections: SectionFrame[];
  /** The section line, for "Missing '}'". */
  span: Span;
}

class TreeReader {
  readonly settings: DovecotSetting[] = [];
  readonly sources = new Map<string, SourceText>();
  readonly unresolved: Span[] = [];
  private readonly stack: Frame[] = [];
  /** The last value of each key per filter and sections (what `$key` refers to), so a lookup is one step. */
  private readonly lastValues = new Map<string, string>();

  constructor(
    private readonly files: FileAccess,
    private readonly rootFolder: string,
    private readonly linted: SourceText,
    private readonly problems: ParseProblem[],
  ) {}

  private get frame(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private problem(span: Span, message: TextRef): void {
    if (span.file === this.linted.path) this.problems.push({ span, severity: 'error', message });
  }

  async read(source: SourceText, depth = 0, chain: string[] = []): Promise<void> {
    this.sources.set(source.path, source);
    // Syntax problems of other files are reported when those files are linted.
    const lines = parseDovecot(source, source.path === this.linted.path ? this.problems : []);
    for (const line of lines) await this.apply(line, source, depth, [...chain, source.path]);
  }

  /** After the root file: a section still open is Dovecot's "Missing '}'". */
  finish(): void {
    const open = this.stack[this.stack.length - 1];
    if (open) this.problem(open.span, text('dovecot.missing-close-brace'));
  }

  private async apply(line: DovecotLine, source: SourceText, depth: number, chain: string[]): Promise<void> {
    const frame = this.frame;
    switch (line.kind) {
      case 'end':
        if (!this.stack.pop()) this.problem(line.span, text('dovecot.unexpected-close-brace'));
        return;
      case 'section': {
        const parent = frame ?? { filter: {}, sections: [], span: line.span };
        if (parent.tooDeep || this.stack.length >= MAX_NESTING) {
          // Each level copies its parents' section path: past the limit the frames share their parent's.
          if (!parent.tooDeep && line.span.file === this.linted.path) this.problems.push(limitProblem(line.span, 'nesting-depth', MAX_NESTING));
          this.stack.push({ ...parent, tooDeep: true, span: line.span });
          return;
        }
        if (FILTER_TYPES.has(line.type)) {
          const filter = this.nestedFilter(parent.filter, line);
          this.stack.push({ filter: filter ?? parent.filter, filterSpan: line.span, sections: parent.sections, span: line.span });
        } else {
          const sections = [...parent.sections, { type: line.type, name: line.name }];
          this.stack.push({ filter: parent.filter, ...(parent.filterSpan ? { filterSpan: parent.filterSpan } : {}), sections, span: line.span });
        }
        return;
      }
      case 'include':
        if (!frame?.tooDeep) await this.include(line, source, depth, chain);
        return;
      case 'setting':
        if (!frame?.tooDeep) this.setting(line, frame);
        return;
    }
  }

  private setting(line: Extract<DovecotLine, { kind: 'setting' }>, frame: Frame | undefined): void {
    const filter = frame?.filter ?? {};
    let key = line.key;
    let value = line.form === 'variable' ? this.expand(line, frame) : line.value;
    // old-set-parser.c: ssl_disable = yes|no is read as ssl = no|yes.
    if (key === 'ssl_disable' && !frame?.sections.length) {
      key = 'ssl';
      value = /^yes$/i.test(value) ? 'no' : /^no$/i.test(value) ? 'yes' : value;
    }
    // config_apply_line: "Auth settings not supported inside local/remote blocks".
    if (/^auth_/.test(key) && (filter.local || filter.remote || filter.localName !== undefined) && !frame?.sections.length)
      this.problem(line.span, text('dovecot.auth-setting-in-net-filter', { key }));
    // The values the checks read are validated as the settings parser does; Dovecot refuses to start otherwise.
    else if (!frame?.sections.length && line.form !== 'file' && !validValue(key, value))
      this.problem(line.valueSpan, text('dovecot.invalid-value', { key, value }));
    this.settings.push({
      key,
      value,
      form: line.form,
      keySpan: line.keySpan,
      valueSpan: line.valueSpan,
      span: line.span,
      filter,
      ...(frame?.filterSpan ? { filterSpan: frame.filterSpan } : {}),
      sections: frame?.sections ?? [],
    });
    this.lastValues.set(valueKey(key, filter, frame?.sections ?? []), value);
  }

  /**
   * config_write_keyvariable: `$name` at the start of a word is replaced. `key = $key more` takes the value
   * the key had so far in this filter, else in the filters around it, else its default; another `$name`
   * takes that setting's value in the same filter; `$ENV:NAME` is the daemon's environment (unknown here).
   */
  private expand(line: Extract<DovecotLine, { kind: 'setting' }>, frame: Frame | undefined): string {
    const key = line.key;
    const filter = frame?.filter ?? {};
    const sections = frame?.sections ?? [];
    const lastIn = (name: string, wanted: Filter) => this.lastValues.get(valueKey(name, wanted, sections));
    const expandWord = (word: string): string => {
      if (!word.startsWith('$')) return word;
      if (word.startsWith('$ENV:')) return '';
      const name = word.slice(1);
      if (name === key) {
        for (const candidate of this.stack.length ? [...this.stack].reverse().map((entry) => entry.filter) : [])
          if (lastIn(name, candidate) !== undefined) return lastIn(name, candidate)!;
        return lastIn(name, {}) ?? DEFAULTS[name] ?? '';
      }
      return lastIn(name, filter) ?? DEFAULTS[name] ?? word;
    };
    const expanded: string[] = [];
    let length = 0;
    for (const word of line.value.split(/[ \t]+/).filter(Boolean)) {
      const value = expandWord(word);
      length += value.length + 1;
      if (length > MAX_EXPANDED_VALUE) {
        // Kept short instead: the problem names the limit, and the rest of the file is still read.
        this.problems.push({ span: line.valueSpan, severity: 'warning', message: text('dovecot.expansion-limit', { key, limit: MAX_EXPANDED_VALUE }) });
        break;
      }
      expanded.push(value);
    }
    return expanded.join(' ');
  }

  /** config_filter_add_new_filter: the filter a section opens inside `parent`, or undefined with a problem. */
  private nestedFilter(parent: Filter, line: Extract<DovecotLine, { kind: 'section' }>): Filter | undefined {
    const span = line.span;
    switch (line.type) {
      case 'protocol':
        if (parent.protocol !== undefined) return this.refuse(span, text('dovecot.filter-nested-protocol'));
        return { ...parent, protocol: line.name };
      case 'local_name':
        if (parent.remote || parent.protocol !== undefined)
          return this.refuse(span, text('dovecot.filter-wrong-order', { outer: parent.remote ? 'remote' : 'protocol', inner: 'local_name' }));
        return { ...parent, localName: line.name };
      case 'local':
      case 'remote': {
        const type = line.type;
        if (type === 'local' && (parent.remote || parent.localName !== undefined))
          return this.refuse(span, text('dovecot.filter-wrong-order', { outer: parent.remote ? 'remote' : 'local_name', inner: 'local' }));
        if (parent.protocol !== undefined) return this.refuse(span, text('dovecot.filter-wrong-order', { outer: 'protocol', inner: type }));
        const net = netFilter(line.name, line.nameSpan ?? span);
        const outer = parent[type];
        if (outer?.parsed && net.parsed && !(outer.parsed.range.start <= net.parsed.range.start && net.parsed.range.end <= outer.parsed.range.end))
          return this.refuse(span, text('dovecot.filter-net-not-inside', { type }));
        return { ...parent, [type]: net };
      }
      default:
        return parent;
    }
  }

  private refuse(span: Span, message: TextRef): undefined {
    this.problem(span, message);
    return undefined;
  }

  private async include(line: Extract<DovecotLine, { kind: 'include' }>, source: SourceText, depth: number, chain: string[]): Promise<void> {
    if (depth >= MAX_INCLUDE_DEPTH) return;
    const reference = line.path;
    // fix_relative_path: relative to the including file; a copy of /etc/dovecot reads its own files first.
    const candidates = [reference.startsWith('/') ? reference : joinPath(dirname(source.path), reference)];
    if (reference.startsWith(`${SERVER_FOLDER}/`)) candidates.unshift(joinPath(this.rootFolder, reference.slice(SERVER_FOLDER.length + 1)));
    for (const candidate of candidates) {
      const paths = await globFiles(this.files, candidate, { braces: true });
      if (paths === undefined) continue;
      if (paths.length === 0 && !line.optional) continue;
      for (const path of paths) {
        if (chain.includes(path)) continue; // Dovecot: "Recursive include file"
        const included = path === this.linted.path ? this.linted : await readText(this.files, path, this.sources);
        if (included) await this.read(included, depth + 1, chain);
      }
      return;
    }
    if (!line.optional) this.unresolved.push(line.span);
  }
}

/** settings-parser.c: booleans (yes/y/1/no), the ssl enum, times (get_time). Other settings are not judged here. */
function validValue(key: string, value: string): boolean {
  switch (key) {
    case 'disable_plaintext_auth':
    case 'auth_allow_cleartext':
      return dovecotBool(value) !== undefined;
    case 'ssl':
      return value === 'yes' || value === 'no' || value === 'required';
    case 'auth_failure_delay':
      return dovecotMilliseconds(value) !== undefined;
    default:
      return true;
  }
}

const sectionKeys = new WeakMap<readonly SectionFrame[], string>();

/** Identifies a key's value per filter and sections (what the checks' `$key` lookup compares). */
function valueKey(key: string, filter: Filter, sections: readonly SectionFrame[]): string {
  let sectionKey = sectionKeys.get(sections);
  if (sectionKey === undefined) {
    sectionKey = sections.map((frame) => `${frame.type}\u0001${frame.name ?? '\u0003'}`).join('\u0002');
    sectionKeys.set(sections, sectionKey);
  }
  return `${key}\u0000${filterKey(filter)}\u0000${sectionKey}`;
}

async function readText(files: FileAccess, path: string, known: Map<string, SourceText>): Promise<SourceText | undefined> {
  const cached = known.get(path);
  if (cached) return cached;
  const content = await files.readFile(path).catch(() => undefined);
  return content === undefined ? undefined : new SourceText(path, content);
}

/** A `local`/`remote` filter's network: an address or CIDR range (config_parse_net), or a host name. */
export function netFilter(written: string, span: Span): NetFilter {
  const parsed = parseRange(written.replace(/^\[(.*)\](\/\d+)?$/, '$1$2'));
  return parsed ? { text: written, span, parsed, set: AddressSet.of(parsed.range) } : { text: written, span };
}

/** The dovecot.conf that includes a conf.d file: beside it or one folder up. */
async function findRoot(linted: SourceText, files: FileAccess): Promise<SourceText | undefined> {
  if (basename(linted.path) === 'dovecot.conf') return undefined;
  const folder = dirname(linted.path);
  for (const candidate of [joinPath(folder, 'dovecot.conf'), joinPath(dirname(folder), 'dovecot.conf')]) {
    const content = await files.readFile(candidate).catch(() => undefined);
    if (content !== undefined) return new SourceText(candidate, content);
  }
  return undefined;
}

export async function loadDovecot(linted: SourceText, files: FileAccess, problems: ParseProblem[]): Promise<DovecotConfig> {
  const root = await findRoot(linted, files);
  if (root) {
    const found: ParseProblem[] = [];
    const reader = new TreeReader(files, dirname(root.path), linted, found);
    await reader.read(root);
    reader.finish();
    if (reader.sources.has(linted.path)) {
      problems.push(...found);
      return new DovecotConfig(reader.settings, orderedSources(linted, reader.sources), reader.unresolved);
    }
  }
  const reader = new TreeReader(files, dirname(linted.path), linted, problems);
  await reader.read(linted);
  reader.finish();
  return new DovecotConfig(reader.settings, orderedSources(linted, reader.sources), reader.unresolved);
}

function orderedSources(linted: SourceText, sources: Map<string, SourceText>): SourceText[] {
  return [linted, ...[...sources.values()].filter((source) => source.path !== linted.path)];
}
