// The catalogue is data in rules/: threat and incident entries from the IPA documents, and one entry per rule.
// This module only types and indexes it; the prose lives in the JSON files.
import type { Localized, Severity } from './types';
import threatsJson from '../../rules/threats.json';
import coreRulesJson from '../../rules/core.json';
import postfixRulesJson from '../../rules/postfix.json';
import nginxRulesJson from '../../rules/nginx.json';
import webRulesJson from '../../rules/web.json';
import redisRulesJson from '../../rules/redis.json';
import mysqlRulesJson from '../../rules/mysql.json';
import pgRulesJson from '../../rules/pg.json';
import mongodbRulesJson from '../../rules/mongodb.json';
import elasticsearchRulesJson from '../../rules/elasticsearch.json';
import composeRulesJson from '../../rules/compose.json';
import k8sRulesJson from '../../rules/k8s.json';

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

export const threats: readonly ThreatEntry[] = threatsJson as unknown as ThreatEntry[];
export const rules: readonly RuleEntry[] = [...(coreRulesJson as unknown as RuleEntry[]), ...(postfixRulesJson as unknown as RuleEntry[]), ...(nginxRulesJson as unknown as RuleEntry[]), ...(webRulesJson as unknown as RuleEntry[]), ...(redisRulesJson as unknown as RuleEntry[]), ...(mysqlRulesJson as unknown as RuleEntry[]), ...(pgRulesJson as unknown as RuleEntry[]), ...(mongodbRulesJson as unknown as RuleEntry[]), ...(elasticsearchRulesJson as unknown as RuleEntry[]), ...(composeRulesJson as unknown as RuleEntry[]), ...(k8sRulesJson as unknown as RuleEntry[])];

const threatIndex = new Map(threats.map((entry) => [entry.id, entry]));
const ruleIndex = new Map(rules.map((entry) => [entry.id, entry]));

export function threatById(id: string): ThreatEntry | undefined {
  return threatIndex.get(id);
}

export function ruleById(id: string): RuleEntry | undefined {
  return ruleIndex.get(id);
}

/** Fills `{name}` placeholders; unknown names stay visible so a missing value is noticed, not hidden. */
export function fillTemplate(template: Localized, data: TemplateData): Localized {
  const fill = (text: string, language: keyof Localized) =>
    text.replace(/\{(\w+)\}/g, (whole, key: string) => {
      const value = data[key];
      if (value === undefined) return whole;
      return typeof value === 'object' ? value[language] : String(value);
    });
  return { en: fill(template.en, 'en'), ja: fill(template.ja, 'ja') };
}

/** Values for `{name}` placeholders; a Localized value fills each language with its own text. */
export type TemplateData = Record<string, string | number | Localized>;
