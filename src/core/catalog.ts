// The catalogue is data in rules/: threat and incident entries from the IPA documents, one entry per rule,
// and every other text users read. This module validates it when it loads, indexes it and fills templates.
// It imports no family: each family hands in its own rules file, and core.json and threats.json are the core's.
import type { Localized, Severity } from './types';
import type { TemplateData, TextRef } from './check';
import { truncateText } from './limits';
import threatsJson from '../../rules/threats.json';
import coreRulesJson from '../../rules/core.json';
import coreTextsJson from '../../rules/core.texts.json';

export interface ThreatEntry {
  id: string;
  kind: 'threat' | 'incident';
  title: Localized;
  summary: Localized;
  countermeasures: { en: string[]; ja: string[] };
  source: { document: string; file: string; section: string; page?: string };
}

/** Example files keyed by file name (e.g. "main.cf"); every file is linted. */
export type ExampleFiles = Record<string, string>;

export interface RuleEntry {
  id: string;
  severity: Severity;
  title: Localized;
  /** Message template; `{name}` is replaced with the check's data. */
  message: Localized;
  why: Localized;
  howToFix: Localized;
  threats: string[];
  /** Fix titles by key, templated like `message`. */
  fixTitles?: Record<string, Localized>;
  /** Set for informational rules that no incident motivates (e.g. version disclosure). */
  noIncidentLink?: boolean;
  examples: { bad: ExampleFiles; good: ExampleFiles };
}

/** A family's (or the core's) rules and the texts its code refers to by key. */
export interface CatalogueFile {
  /** Where the data came from, for error messages (e.g. "rules/postfix.json"). */
  origin: string;
  texts: Record<string, Localized>;
  rules: RuleEntry[];
}

/** Filled texts kept between lints (see Catalogue.fill), and the longest values key that is kept. */
const MAX_FILLED = 20_000;
const MAX_FILLED_KEY = 2_000;

/**
 * The values of a text's placeholders as one string, for the filled-text cache: unambiguous (names are words, each
 * string value carries its length) and cheaper than JSON.stringify, which was most of the cache's cost per finding.
 */
function dataKey(data: TemplateData): string {
  let key = '';
  for (const name in data) {
    const value = data[name]!;
    if (typeof value === 'object') key += `${name}={${value.text}:${value.data ? dataKey(value.data) : ''}}`;
    else if (typeof value === 'string') key += `${name}=s${value.length}:${value};`;
    else key += `${name}=n${value};`;
  }
  return key;
}

/** Raised when a rules file does not have the catalogue's shape; the message names the file and the field. */
export class CatalogueError extends Error {}

const SEVERITIES: readonly string[] = ['error', 'warning', 'info'];

type Path = string;
function fail(where: Path, problem: string): never {
  throw new CatalogueError(`${where}: ${problem}`);
}
function record(value: unknown, where: Path): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'expected an object');
  return value as Record<string, unknown>;
}
function string(value: unknown, where: Path): string {
  if (typeof value !== 'string' || value === '') fail(where, 'expected a non-empty string');
  return value;
}
function list(value: unknown, where: Path): unknown[] {
  if (!Array.isArray(value)) fail(where, 'expected a list');
  return value;
}
function localized(value: unknown, where: Path): Localized {
  const raw = record(value, where);
  return { en: string(raw.en, `${where}.en`), ja: string(raw.ja, `${where}.ja`) };
}
function localizedRecord(value: unknown, where: Path): Record<string, Localized> {
  const out: Record<string, Localized> = {};
  for (const [key, item] of Object.entries(record(value, where))) out[key] = localized(item, `${where}.${key}`);
  return out;
}
function files(value: unknown, where: Path): ExampleFiles {
  const out: ExampleFiles = {};
  for (const [name, content] of Object.entries(record(value, where))) {
    if (typeof content !== 'string') fail(`${where}.${name}`, 'expected the file text');
    out[name] = content;
  }
  return out;
}

function ruleEntry(value: unknown, where: Path): RuleEntry {
  const raw = record(value, where);
  const id = string(raw.id, `${where}.id`);
  const at = `${where} (${id})`;
  const severity = string(raw.severity, `${at}.severity`);
  if (!SEVERITIES.includes(severity)) fail(`${at}.severity`, `expected one of ${SEVERITIES.join(', ')}`);
  const examples = record(raw.examples, `${at}.examples`);
  const entry: RuleEntry = {
    id,
    severity: severity as Severity,
    title: localized(raw.title, `${at}.title`),
    message: localized(raw.message, `${at}.message`),
    why: localized(raw.why, `${at}.why`),
    howToFix: localized(raw.howToFix, `${at}.howToFix`),
    threats: list(raw.threats, `${at}.threats`).map((item, index) => string(item, `${at}.threats[${index}]`)),
    examples: { bad: files(examples.bad, `${at}.examples.bad`), good: files(examples.good, `${at}.examples.good`) },
  };
  if (raw.fixTitles !== undefined) entry.fixTitles = localizedRecord(raw.fixTitles, `${at}.fixTitles`);
  if (raw.noIncidentLink !== undefined) {
    if (typeof raw.noIncidentLink !== 'boolean') fail(`${at}.noIncidentLink`, 'expected true or false');
    entry.noIncidentLink = raw.noIncidentLink;
  }
  const known = new Set(['id', 'severity', 'title', 'message', 'why', 'howToFix', 'threats', 'fixTitles', 'noIncidentLink', 'examples']);
  for (const key of Object.keys(raw)) if (!known.has(key)) fail(`${at}.${key}`, 'unknown field');
  return entry;
}

/**
 * Validates one family's part of the catalogue: its rules file (a list of rule entries) and its texts file
 * (key -> text in both languages). Throws CatalogueError naming the file, the entry and the field.
 */
export function readCatalogueFile(rules: unknown, texts: unknown, origin: string): CatalogueFile {
  return new CatalogueSource(rules, texts, origin).file();
}

/**
 * One rules file and the texts file beside it, read as the engine needs them (start-up, issue 16): the ids and
 * keys are listed at once (cheap), each entry is validated the first time it is read, and `file()` validates
 * every entry. A broken entry throws the same CatalogueError (file, entry and field) whenever it is read;
 * test/unit/catalog.test.ts reads every entry of the product's catalogue.
 */
export class CatalogueSource {
  readonly origin: string;
  readonly textsOrigin: string;
  private readonly rawRules: unknown[];
  private readonly rawTexts: Record<string, unknown>;
  private readonly ruleEntries: (RuleEntry | undefined)[] = [];
  private readonly textEntries = new Map<string, Localized>();
  private ids?: string[];
  private whole?: CatalogueFile;

  constructor(rules: unknown, texts: unknown, origin: string) {
    this.origin = origin;
    this.textsOrigin = origin.replace(/\.json$/, '.texts.json');
    this.rawTexts = texts === undefined ? {} : record(texts, this.textsOrigin);
    this.rawRules = list(rules, origin);
  }

  /** The rule ids, in file order (an entry without a usable id is validated, which throws). */
  ruleIds(): readonly string[] {
    return (this.ids ??= idsOf(this.rawRules, (index) => this.rule(index).id));
  }

  /** The rule entry at `index` of the rules file, validated. */
  rule(index: number): RuleEntry {
    return (this.ruleEntries[index] ??= ruleEntry(this.rawRules[index], `${this.origin}[${index}]`));
  }

  textKeys(): readonly string[] {
    return Object.keys(this.rawTexts);
  }

  /** The text under `key` (one of `textKeys()`), validated. */
  text(key: string): Localized {
    let entry = this.textEntries.get(key);
    if (!entry) {
      entry = localized(this.rawTexts[key], `${this.textsOrigin}.${key}`);
      this.textEntries.set(key, entry);
    }
    return entry;
  }

  /** Every entry, validated. */
  file(): CatalogueFile {
    if (!this.whole) {
      const texts: Record<string, Localized> = {};
      for (const key of this.textKeys()) texts[key] = this.text(key);
      this.whole = { origin: this.origin, texts, rules: this.rawRules.map((_, index) => this.rule(index)) };
    }
    return this.whole;
  }
}

function threatEntry(value: unknown, where: Path): ThreatEntry {
  const raw = record(value, where);
  const id = string(raw.id, `${where}.id`);
  const at = `${where} (${id})`;
  const kind = string(raw.kind, `${at}.kind`);
  if (kind !== 'threat' && kind !== 'incident') fail(`${at}.kind`, 'expected threat or incident');
  const counter = record(raw.countermeasures, `${at}.countermeasures`);
  const source = record(raw.source, `${at}.source`);
  const strings = (items: unknown, path: Path) => list(items, path).map((item, index) => string(item, `${path}[${index}]`));
  return {
    id,
    kind,
    title: localized(raw.title, `${at}.title`),
    summary: localized(raw.summary, `${at}.summary`),
    countermeasures: { en: strings(counter.en, `${at}.countermeasures.en`), ja: strings(counter.ja, `${at}.countermeasures.ja`) },
    source: {
      document: string(source.document, `${at}.source.document`),
      file: string(source.file, `${at}.source.file`),
      section: string(source.section, `${at}.source.section`),
      ...(source.page !== undefined ? { page: string(source.page, `${at}.source.page`) } : {}),
    },
  };
}

/** The core's own rules and texts (config/parse-problem, engine messages, report headings), read as needed. */
export function coreCatalogue(): CatalogueSource {
  return new CatalogueSource(coreRulesJson, coreTextsJson, 'rules/core.json');
}

/**
 * The `id` of each raw entry of a list, read without validating the entry; an entry without a usable id is
 * validated (`validatedId`), which throws the entry's own error.
 */
function idsOf(raw: readonly unknown[], validatedId: (index: number) => string): string[] {
  return raw.map((item, index) => {
    const id = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>).id : undefined;
    return typeof id === 'string' && id !== '' ? id : validatedId(index);
  });
}

/** Every threat and incident entry of the IPA documents (rules/threats.json), each validated when first read. */
export class ThreatSource {
  private readonly raw: unknown[];
  private readonly entries: (ThreatEntry | undefined)[] = [];
  private ids?: string[];

  constructor(
    threats: unknown = threatsJson,
    readonly origin = 'rules/threats.json',
  ) {
    this.raw = list(threats, origin);
  }

  get length(): number {
    return this.raw.length;
  }

  /** The entry ids, in file order (an entry without a usable id is validated, which throws). */
  entryIds(): readonly string[] {
    return (this.ids ??= idsOf(this.raw, (index) => this.entry(index).id));
  }

  entry(index: number): ThreatEntry {
    return (this.entries[index] ??= threatEntry(this.raw[index], `${this.origin}[${index}]`));
  }
}

/**
 * The catalogue a linter was built with: the core's file, each family's, and the threat entries. Ids and text
 * keys are indexed (and checked for duplicates) when the catalogue is first asked for anything; each entry is
 * validated when first read, and `rules` / `threats` read them all (start-up: a run that reports one nginx
 * finding reads one rule, its threats and a few texts, not ~600 KB of entries).
 */
export class Catalogue {
  private readonly parts: CatalogueSource[];
  private readonly threatSource: ThreatSource;
  /** Parts asked for only when a lookup misses the others, or everything is listed (the families' files). */
  private later: (() => readonly CatalogueSource[]) | undefined;
  private index?: {
    rules: Map<string, { part: CatalogueSource; at: number }>;
    threats: Map<string, number>;
    texts: Map<string, CatalogueSource>;
  };
  private readonly linksChecked = new Set<RuleEntry>();
  private allRules?: readonly RuleEntry[];
  private allThreats?: readonly ThreatEntry[];

  /**
   * `later`: the rest of the parts, asked for the first time a rule id or text key is not in `parts`, or every
   * rule is listed (the engine's core file comes first; the families' files are asked for when needed).
   */
  constructor(
    parts: readonly (CatalogueSource | CatalogueFile)[],
    threats: ThreatSource | readonly ThreatEntry[] = new ThreatSource(),
    later?: () => readonly CatalogueSource[],
  ) {
    this.parts = parts.map((part) => (part instanceof CatalogueSource ? part : sourceOfFile(part)));
    this.threatSource = threats instanceof ThreatSource ? threats : new ThreatSource(threats);
    this.later = later;
  }

  /** Every rule, in catalogue order, validated (with its links to threat entries). */
  get rules(): readonly RuleEntry[] {
    if (!this.allRules) {
      const index = this.complete();
      const rules: RuleEntry[] = [];
      for (const part of this.parts) for (const id of part.ruleIds()) rules.push(this.checkedRule(index.rules.get(id)!));
      this.allRules = rules;
    }
    return this.allRules;
  }

  /** Every threat and incident entry, in file order, validated. */
  get threats(): readonly ThreatEntry[] {
    if (!this.allThreats) {
      this.indexed();
      this.allThreats = Array.from({ length: this.threatSource.length }, (_, at) => this.threatSource.entry(at));
    }
    return this.allThreats;
  }

  /** Every text, validated (a catalogue check; lookups validate only what they read). */
  validateTexts(): void {
    for (const [key, part] of this.complete().texts) part.text(key);
  }

  ruleById(id: string): RuleEntry | undefined {
    const at = this.indexed().rules.get(id) ?? this.complete().rules.get(id);
    return at && this.checkedRule(at);
  }

  threatById(id: string): ThreatEntry | undefined {
    const at = this.indexed().threats.get(id);
    return at === undefined ? undefined : this.threatSource.entry(at);
  }

  hasText(key: string): boolean {
    const part = this.textPart(key);
    if (part) part.text(key);
    return part !== undefined;
  }

  /**
   * The text in both languages; an unknown key is a programming error and throws. With `maxValue`, every string
   * placeholder value (here and in nested texts) is cut to that many characters (see `fill`).
   */
  resolve(ref: TextRef, maxValue?: number): Localized {
    const part = this.textPart(ref.text);
    if (!part) throw new CatalogueError(`no catalogue text "${ref.text}"`);
    return this.fill(part.text(ref.text), ref.data ?? {}, maxValue);
  }
  /**
   * Fills `{name}` placeholders; unknown names stay visible so a missing value is noticed, not hidden. With
   * `maxValue` (the engine passes MAX_EMBEDDED_TEXT for every finding), a string value longer than that — user
   * text quoted from the file — is cut with an ellipsis, in both languages alike.
   */
  fill(template: Localized, data: TemplateData, maxValue?: number): Localized {
    // A keystroke reports mostly what the last one did: the same template with the same values. Filled texts
    // are kept per template by their values (small values only), so they are not filled again (filling was a
    // quarter of a 5,000-line compose file's lint, 278 findings).
    const key = `${maxValue ?? ''}\u0000${dataKey(data)}`;
    if (key.length > MAX_FILLED_KEY) return this.fillNow(template, data, maxValue);
    let known = this.filled.get(template);
    if (!known) this.filled.set(template, (known = new Map()));
    let done = known.get(key);
    if (!done) {
      if (this.filledCount >= MAX_FILLED) {
        this.filled = new WeakMap();
        this.filledCount = 0;
        this.filled.set(template, (known = new Map()));
      }
      known.set(key, (done = this.fillNow(template, data, maxValue)));
      this.filledCount++;
    }
    return done;
  }

  /** Filled texts by template, then by values (see fill); at most MAX_FILLED, then started afresh. */
  private filled = new WeakMap<Localized, Map<string, Localized>>();
  private filledCount = 0;

  private fillNow(template: Localized, data: TemplateData, maxValue?: number): Localized {
    const resolved = new Map<string, Localized>();
    for (const [key, value] of Object.entries(data)) if (typeof value === 'object') resolved.set(key, this.resolve(value, maxValue));
    const fillOne = (source: string, language: keyof Localized) =>
      source.replace(/\{(\w+)\}/g, (whole, key: string) => {
        const value = data[key];
        if (value === undefined) return whole;
        if (typeof value === 'object') return resolved.get(key)![language];
        return typeof value === 'string' && maxValue !== undefined ? truncateText(value, maxValue) : String(value);
      });
    return { en: fillOne(template.en, 'en'), ja: fillOne(template.ja, 'ja') };
  }

  private textPart(key: string): CatalogueSource | undefined {
    return this.indexed().texts.get(key) ?? this.complete().texts.get(key);
  }

  /** Ids and keys of the parts given so far, checked for duplicates (in the order and words of a whole-catalogue check). */
  private indexed(): NonNullable<Catalogue['index']> {
    if (!this.index) {
      const threats = new Map<string, number>();
      this.threatSource.entryIds().forEach((id, at) => {
        if (threats.has(id)) throw new CatalogueError(`${this.threatSource.origin}: ${id} is defined twice`);
        threats.set(id, at);
      });
      this.index = { rules: new Map(), threats, texts: new Map() };
      for (const part of this.parts) this.indexPart(part);
    }
    return this.index;
  }

  /** The index with the `later` parts in it too. */
  private complete(): NonNullable<Catalogue['index']> {
    const index = this.indexed();
    const later = this.later;
    if (later) {
      this.later = undefined;
      for (const part of later()) {
        this.parts.push(part);
        this.indexPart(part);
      }
    }
    return index;
  }

  private indexPart(part: CatalogueSource): void {
    const { rules, texts } = this.index!;
    part.ruleIds().forEach((id, at) => {
      if (rules.has(id)) throw new CatalogueError(`${part.origin}: rule ${id} is defined twice`);
      rules.set(id, { part, at });
    });
    for (const key of part.textKeys()) {
      if (texts.has(key)) throw new CatalogueError(`${part.origin}: text ${key} is defined twice`);
      texts.set(key, part);
    }
  }

  /** The rule, validated, its threat links checked once. */
  private checkedRule(at: { part: CatalogueSource; at: number }): RuleEntry {
    const rule = at.part.rule(at.at);
    if (!this.linksChecked.has(rule)) {
      const threats = this.indexed().threats;
      for (const id of rule.threats) if (!threats.has(id)) throw new CatalogueError(`${at.part.origin}: rule ${rule.id} links to unknown entry ${id}`);
      this.linksChecked.add(rule);
    }
    return rule;
  }
}

/** A catalogue file already validated, as a source (tests and callers that build one by hand). */
function sourceOfFile(file: CatalogueFile): CatalogueSource {
  return new CatalogueSource(file.rules, file.texts, file.origin);
}
