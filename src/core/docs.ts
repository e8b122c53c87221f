// Rule and catalogue pages as Markdown, for `secure-config-review explain`, the generated docs/ folder
// and the editor's documentation view. Everything comes from the catalogue data.
import type { Catalogue, RuleEntry, ThreatEntry } from './catalog';
import { text } from './check';
import type { Language } from './report';

export function renderThreatMarkdown(catalogue: Catalogue, entry: ThreatEntry, language: Language): string {
  const ja = language === 'ja';
  const linkedRules = catalogue.rules.filter((rule) => rule.threats.includes(entry.id));
  return [
    `# ${entry.title[language]}`,
    '',
    `\`${entry.id}\` — ${ja ? entry.title.en : entry.title.ja}`,
    '',
    entry.summary[language],
    '',
    `## ${catalogue.resolve(text('docs.countermeasures'))[language]}`,
    '',
    ...entry.countermeasures[language].map((item) => `- ${item}`),
    '',
    `## ${catalogue.resolve(text('docs.source'))[language]}`,
    '',
    `${entry.source.document}, ${entry.source.section}${entry.source.page ? `, p. ${entry.source.page}` : ''} (\`${entry.source.file}\`)`,
    ...(linkedRules.length
      ? ['', `## ${catalogue.resolve(text('docs.linked-rules'))[language]}`, '', ...linkedRules.map((rule) => `- \`${rule.id}\`: ${rule.title[language]}`)]
      : []),
    '',
  ].join('\n');
}

export function renderRuleMarkdown(catalogue: Catalogue, rule: RuleEntry, language: Language): string {
  const say = (key: ReturnType<typeof text>) => catalogue.resolve(key)[language];
  const example = (files: Record<string, string>) => Object.entries(files).flatMap(([name, text]) => [`\`${name}\``, '', '```', text.trimEnd(), '```', '']);
  return [
    `# ${rule.title[language]}`,
    '',
    `\`${rule.id}\` — ${say(text('docs.severity'))}: ${rule.severity}`,
    '',
    `## ${say(text('docs.why'))}`,
    '',
    rule.why[language],
    '',
    `## ${say(text('docs.how-to-fix'))}`,
    '',
    rule.howToFix[language],
    '',
    `## ${say(text('docs.bad-example'))}`,
    '',
    ...example(rule.examples.bad),
    `## ${say(text('docs.good-example'))}`,
    '',
    ...example(rule.examples.good),
    `## ${say(text('docs.threat-entries'))}`,
    '',
    ...(rule.noIncidentLink ? [`- ${say(text('docs.no-incident'))}`] : []),
    ...rule.threats.map((id) => {
      const entry = catalogue.threatById(id);
      return entry ? `- \`${id}\` ${entry.title[language]} — ${entry.source.section}` : `- \`${id}\``;
    }),
    '',
  ].join('\n');
}

/** A rule id or a catalogue id, rendered; undefined when neither exists. */
export function renderEntry(catalogue: Catalogue, id: string, language: Language): string | undefined {
  const rule = catalogue.ruleById(id);
  if (rule) return renderRuleMarkdown(catalogue, rule, language);
  const threat = catalogue.threatById(id);
  return threat ? renderThreatMarkdown(catalogue, threat, language) : undefined;
}
