import type { ProjectSettings, RuleSetting } from './types';
import { type TextRef, text } from './check';
import { closestName } from './did-you-mean';
import { type JsonEntry, type JsonNode, parseJsonTree } from './json-tree';
import { parseRange } from '../net';

/** The project configuration file, read by the CLI and the extension alike. */
export const PROJECT_CONFIG_FILE = '.secure-config-review.json';

const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'info'];
/** Format ids a file association may name besides the formats: "do not read this file". */
const NO_FORMAT = ['none', 'off'];
const KEYS = ['$schema', 'rules', 'trustedNetworks', 'fileAssociations'];

export function defaultSettings(): ProjectSettings {
  return { rules: {}, trustedNetworks: [], fileAssociations: {} };
}

/**
 * Turns anything (parsed JSON, editor settings) into valid settings plus a list of what was ignored.
 * Later layers win: `normalizeSettings(a, b)` applies b over a.
 */
export function normalizeSettings(...layers: unknown[]): { settings: ProjectSettings; problems: string[] } {
  const settings = defaultSettings();
  const problems: string[] = [];
  for (const layer of layers) {
    if (layer === undefined || layer === null) continue;
    if (typeof layer !== 'object' || Array.isArray(layer)) {
      problems.push('settings must be an object');
      continue;
    }
    const raw = layer as Record<string, unknown>;
    if (raw.rules !== undefined) {
      if (typeof raw.rules !== 'object' || raw.rules === null || Array.isArray(raw.rules)) problems.push('"rules" must be an object');
      else
        for (const [id, value] of Object.entries(raw.rules)) {
          const setting = value === true ? undefined : value === false ? 'off' : value;
          if (setting === undefined) delete settings.rules[id];
          else if (RULE_SETTINGS.includes(setting as RuleSetting)) settings.rules[id] = setting as RuleSetting;
          else problems.push(`rule ${id}: expected one of ${RULE_SETTINGS.join(', ')}`);
        }
    }
    if (raw.trustedNetworks !== undefined) {
      if (Array.isArray(raw.trustedNetworks) && raw.trustedNetworks.every((item) => typeof item === 'string'))
        settings.trustedNetworks = [...raw.trustedNetworks];
      else problems.push('"trustedNetworks" must be a list of address ranges');
    }
    if (raw.fileAssociations !== undefined) {
      if (typeof raw.fileAssociations === 'object' && raw.fileAssociations !== null && !Array.isArray(raw.fileAssociations))
        for (const [glob, format] of Object.entries(raw.fileAssociations)) {
          if (typeof format === 'string') settings.fileAssociations[glob] = format;
          else problems.push(`fileAssociations ${glob}: expected a format id`);
        }
      else problems.push('"fileAssociations" must be an object');
    }
  }
  return { settings, problems };
}

/** What a project file may name: the rule ids and format ids of the linter it configures. */
export interface SettingsVocabulary {
  ruleIds: readonly string[];
  formatIds: readonly string[];
}

export function vocabularyOf(linter: { catalogue: { rules: readonly { id: string }[] }; formats: readonly { id: string }[] }): SettingsVocabulary {
  return { ruleIds: linter.catalogue.rules.map((rule) => rule.id), formatIds: linter.formats.map((format) => format.id) };
}

/** A mistake in the project file, at offsets of its text. */
export interface SettingsProblem {
  start: number;
  end: number;
  message: TextRef;
}

export interface ProjectFile {
  /** The valid part of the file, in the shape `normalizeSettings` layers. */
  layer: Partial<ProjectSettings>;
  /** Every mistake; the CLI refuses to run with any, the editor shows them on the file. */
  problems: SettingsProblem[];
}

const hint = (wanted: string, known: Iterable<string>): TextRef | string => {
  const name = closestName(wanted, known);
  return name ? text('settings.did-you-mean', { name }) : '';
};

/**
 * Reads `.secure-config-review.json` strictly: JSON syntax, known keys, known rule ids and format ids,
 * rule settings, address ranges. Each problem names the key and points at it.
 */
export function readProjectFile(source: string, vocabulary: SettingsVocabulary): ProjectFile {
  const parsed = parseJsonTree(source);
  if ('error' in parsed) {
    const { offset, message } = parsed.error;
    return { layer: {}, problems: [{ start: offset, end: Math.min(source.length, offset + 1), message: text('settings.invalid-json', { detail: message }) }] };
  }
  const problems: SettingsProblem[] = [];
  const report = (at: { start: number; end: number }, message: TextRef) => problems.push({ start: at.start, end: at.end, message });
  const root = parsed.tree;
  if (root.kind !== 'object') {
    report(root, text('settings.not-an-object'));
    return { layer: {}, problems };
  }
  const layer: Partial<ProjectSettings> = {};
  for (const entry of unique(root.entries, report)) {
    switch (entry.key) {
      case '$schema':
        if (entry.value.kind !== 'string') report(entry.value, text('settings.expected-string', { key: entry.key }));
        break;
      case 'rules':
        layer.rules = readRules(entry.value, vocabulary, report);
        break;
      case 'trustedNetworks':
        layer.trustedNetworks = readNetworks(entry.value, report);
        break;
      case 'fileAssociations':
        layer.fileAssociations = readAssociations(entry.value, vocabulary, report);
        break;
      default:
        report(entry.keySpan, text('settings.unknown-key', { key: entry.key, hint: hint(entry.key, KEYS), keys: KEYS.join(', ') }));
    }
  }
  return { layer, problems: problems.sort((a, b) => a.start - b.start) };
}

type Reporter = (at: { start: number; end: number }, message: TextRef) => void;

/** The entries of an object; a key given twice is a mistake (JSON readers disagree on which one counts). */
function unique(entries: JsonEntry[], report: Reporter): JsonEntry[] {
  const seen = new Set<string>();
  const out: JsonEntry[] = [];
  for (const entry of entries) {
    if (seen.has(entry.key)) report(entry.keySpan, text('settings.duplicate-key', { key: entry.key }));
    else out.push(entry);
    seen.add(entry.key);
  }
  return out;
}

function readRules(node: JsonNode, vocabulary: SettingsVocabulary, report: Reporter): Record<string, RuleSetting> | undefined {
  if (node.kind !== 'object') {
    report(node, text('settings.expected-object', { key: 'rules' }));
    return undefined;
  }
  const rules: Record<string, RuleSetting> = {};
  for (const entry of unique(node.entries, report)) {
    if (!vocabulary.ruleIds.includes(entry.key)) {
      report(entry.keySpan, text('settings.unknown-rule', { rule: entry.key, hint: hint(entry.key, vocabulary.ruleIds) }));
      continue;
    }
    const value = entry.value;
    if (value.kind === 'boolean') {
      if (!value.value) rules[entry.key] = 'off';
    } else if (value.kind === 'string' && RULE_SETTINGS.includes(value.value as RuleSetting)) rules[entry.key] = value.value as RuleSetting;
    else report(value, text('settings.bad-rule-setting', { rule: entry.key }));
  }
  return rules;
}

function readNetworks(node: JsonNode, report: Reporter): string[] | undefined {
  if (node.kind !== 'array') {
    report(node, text('settings.expected-list', { key: 'trustedNetworks' }));
    return undefined;
  }
  const networks: string[] = [];
  for (const item of node.items) {
    if (item.kind !== 'string') report(item, text('settings.bad-range', { value: source(item) }));
    else if (!parseRange(item.value)) report(item, text('settings.bad-range', { value: item.value }));
    else networks.push(item.value);
  }
  return networks;
}

function readAssociations(node: JsonNode, vocabulary: SettingsVocabulary, report: Reporter): Record<string, string> | undefined {
  if (node.kind !== 'object') {
    report(node, text('settings.expected-object', { key: 'fileAssociations' }));
    return undefined;
  }
  const known = [...vocabulary.formatIds, ...NO_FORMAT];
  const associations: Record<string, string> = {};
  for (const entry of unique(node.entries, report)) {
    if (entry.key.trim() === '') {
      report(entry.keySpan, text('settings.empty-pattern'));
      continue;
    }
    const value = entry.value;
    if (value.kind !== 'string' || !known.includes(value.value)) {
      const wanted = value.kind === 'string' ? value.value : source(value);
      report(value, text('settings.unknown-format', { format: wanted, hint: hint(wanted, known), formats: known.join(', ') }));
      continue;
    }
    associations[entry.key] = value.value;
  }
  return associations;
}

/** A short rendering of a value that has the wrong type, for messages. */
function source(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return '{…}';
    case 'array':
      return '[…]';
    default:
      return JSON.stringify(node.value);
  }
}
