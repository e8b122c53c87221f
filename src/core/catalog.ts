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
  const textsOrigin = origin.replace(/\.json$/, '.texts.json');
  return {
    origin,
    texts: texts === undefined ? {} : localizedRecord(texts, textsOrigin),
    rules: list(rules, origin).map((item, index) => ruleEntry(item, `${origin}[${index}]`)),
  };
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

/** The core's own rules and texts (config/parse-problem, engine messages, report headings). */
export const coreCatalogue: CatalogueFile = readCatalogueFile(coreRulesJson, coreTextsJson, 'rules/core.json');

/** Every threat and incident entry of the IPA documents. */
export const threatEntries: readonly ThreatEntry[] = list(threatsJson, 'rules/threats.json').map((item, index) =>
  threatEntry(item, `rules/threats.json[${index}]`),
);

/** The catalogue a linter was built with: the core's file, each family's, and the threat entries. */
export class Catalogue {
  readonly rules: readonly RuleEntry[];
  readonly threats: readonly ThreatEntry[];
  private readonly ruleIndex = new Map<string, RuleEntry>();
  private readonly threatIndex = new Map<string, ThreatEntry>();
  private readonly textIndex = new Map<string, Localized>();

  constructor(parts: readonly CatalogueFile[], threats: readonly ThreatEntry[] = threatEntries) {
    this.threats = threats;
    for (const entry of threats) {
      if (this.threatIndex.has(entry.id)) throw new CatalogueError(`rules/threats.json: ${entry.id} is defined twice`);
      this.threatIndex.set(entry.id, entry);
    }
    const rules: RuleEntry[] = [];
    for (const part of parts) {
      for (const rule of part.rules) {
        if (this.ruleIndex.has(rule.id)) throw new CatalogueError(`${part.origin}: rule ${rule.id} is defined twice`);
        for (const id of rule.threats) if (!this.threatIndex.has(id)) throw new CatalogueError(`${part.origin}: rule ${rule.id} links to unknown entry ${id}`);
        this.ruleIndex.set(rule.id, rule);
        rules.push(rule);
      }
      for (const [key, value] of Object.entries(part.texts)) {
        if (this.textIndex.has(key)) throw new CatalogueError(`${part.origin}: text ${key} is defined twice`);
        this.textIndex.set(key, value);
      }
    }
    this.rules = rules;
  }

  ruleById(id: string): RuleEntry | undefined {
    return this.ruleIndex.get(id);
  }

  threatById(id: string): ThreatEntry | undefined {
    return this.threatIndex.get(id);
  }

  hasText(key: string): boolean {
    return this.textIndex.has(key);
  }

  /**
   * The text in both languages; an unknown key is a programming error and throws. With `maxValue`, every string
   * placeholder value (here and in nested texts) is cut to that many characters (see `fill`).
   */
  resolve(ref: TextRef, maxValue?: number): Localized {
    const template = this.textIndex.get(ref.text);
    if (!template) throw new CatalogueError(`no catalogue text "${ref.text}"`);
    return this.fill(template, ref.data ?? {}, maxValue);
  }

  /**
   * Fills `{name}` placeholders; unknown names stay visible so a missing value is noticed, not hidden. With
   * `maxValue` (the engine passes MAX_EMBEDDED_TEXT for every finding), a string value longer than that — user
   * text quoted from the file — is cut with an ellipsis, in both languages alike.
   */
  fill(template: Localized, data: TemplateData, maxValue?: number): Localized {
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
}
