// Rule and catalogue pages as Markdown, for `secure-config-review explain`, the generated docs/ folder
// and the editor's documentation view. Everything comes from the catalogue data.
import { type RuleEntry, type ThreatEntry, ruleById, rules, threatById } from './catalog';
import type { Language } from './report';

export function renderThreatMarkdown(entry: ThreatEntry, language: Language): string {
  const ja = language === 'ja';
  const linkedRules = rules.filter((rule) => rule.threats.includes(entry.id));
  return [
    `# ${entry.title[language]}`,
    '',
    `\`${entry.id}\` — ${ja ? entry.title.en : entry.title.ja}`,
    '',
    entry.summary[language],
    '',
    `## ${ja ? '対策' : 'Countermeasures'}`,
    '',
    ...entry.countermeasures[language].map((item) => `- ${item}`),
    '',
    `## ${ja ? '出典' : 'Source'}`,
    '',
    `${entry.source.document}, ${entry.source.section}${entry.source.page ? `, p. ${entry.source.page}` : ''} (\`${entry.source.file}\`)`,
    ...(linkedRules.length ? ['', `## ${ja ? '関連するルール' : 'Rules linked to this entry'}`, '', ...linkedRules.map((rule) => `- \`${rule.id}\`: ${rule.title[language]}`)] : []),
    '',
  ].join('\n');
}

export function renderRuleMarkdown(rule: RuleEntry, language: Language): string {
  const ja = language === 'ja';
  const example = (files: Record<string, string>) => Object.entries(files).flatMap(([name, text]) => [`\`${name}\``, '', '```', text.trimEnd(), '```', '']);
  return [
    `# ${rule.title[language]}`,
    '',
    `\`${rule.id}\` — ${ja ? '重大度' : 'severity'}: ${rule.severity}`,
    '',
    `## ${ja ? 'なぜ問題か' : 'Why it matters'}`,
    '',
    rule.why[language],
    '',
    `## ${ja ? '直し方' : 'How to fix'}`,
    '',
    rule.howToFix[language],
    '',
    `## ${ja ? '問題のある例' : 'Bad example'}`,
    '',
    ...example(rule.examples.bad),
    `## ${ja ? '問題のない例' : 'Good example'}`,
    '',
    ...example(rule.examples.good),
    `## ${ja ? '関連する脅威・事例' : 'Threat entries and incidents'}`,
    '',
    ...(rule.noIncidentLink ? [ja ? '- このルールに対応する事例はありません（参考情報）。' : '- No incident motivates this rule (informational).'] : []),
    ...rule.threats.map((id) => {
      const entry = threatById(id);
      return entry ? `- \`${id}\` ${entry.title[language]} — ${entry.source.section}` : `- \`${id}\``;
    }),
    '',
  ].join('\n');
}

/** A rule id or a catalogue id, rendered; undefined when neither exists. */
export function renderEntry(id: string, language: Language): string | undefined {
  const rule = ruleById(id);
  if (rule) return renderRuleMarkdown(rule, language);
  const threat = threatById(id);
  return threat ? renderThreatMarkdown(threat, language) : undefined;
}
