// Output shapes shared by the CLI and the editor's export commands.
import type { Finding, Localized, Severity } from './types';
import type { Catalogue } from './catalog';
import { text } from './check';

export type Language = 'en' | 'ja';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export interface AuditedFile {
  /** Path as shown to the user (relative to the audit root where possible, '/'-separated). */
  path: string;
  format: string;
  findings: Finding[];
  /** Findings a suppression comment hides (each carries its `suppression` and reason). */
  suppressed?: Finding[];
}

/** A path that could not be audited (unreadable, vanished, not a regular file), as the user named it. */
export interface PathProblem {
  path: string;
  message: Localized;
}

export interface AuditCounts {
  files: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  suppressed: number;
}

/** The totals every output shows: shown findings by severity, and what suppression comments hid. */
export function countFindings(files: AuditedFile[]): AuditCounts {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of files.flatMap((file) => file.findings)) bySeverity[finding.severity]++;
  return {
    files: files.length,
    findings: bySeverity.error + bySeverity.warning + bySeverity.info,
    bySeverity,
    suppressed: files.reduce((total, file) => total + (file.suppressed?.length ?? 0), 0),
  };
}

export interface SarifOptions {
  toolVersion: string;
  /** Base for the rules' documentation links (helpUri = base + rule id + '.md'). */
  helpBase: string;
  language?: Language;
  /** Paths that could not be audited: tool execution notifications, and the run is marked unsuccessful. */
  problems?: PathProblem[];
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

const region = (finding: { range: Finding['range'] }) => ({
  startLine: finding.range.start.line + 1,
  startColumn: finding.range.start.character + 1,
  endLine: finding.range.end.line + 1,
  endColumn: finding.range.end.character + 1,
});

/**
 * A SARIF artifact URI for a path as shown: relative paths stay relative references, absolute ones become
 * file: URIs; '#' and '?' are escaped too (encodeURI leaves them, and they would end the path).
 */
export function artifactUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const encoded = encodeURI(slashed).replace(/[#?]/g, (c) => (c === '#' ? '%23' : '%3F'));
  if (/^[A-Za-z]:\//.test(slashed)) return `file:///${encoded}`;
  return slashed.startsWith('/') ? `file://${encoded}` : encoded;
}

/**
 * SARIF 2.1.0 with the rules' documentation, threat links and every fix's replacement text. Suppressed
 * findings are results too, with `suppressions` (kind inSource, the comment's reason as justification),
 * so that viewers count them as suppressed rather than never seeing them.
 */
export function toSarif(catalogue: Catalogue, files: AuditedFile[], options: SarifOptions): object {
  const language = options.language ?? 'en';
  const all = (file: AuditedFile) => [...file.findings, ...(file.suppressed ?? [])];
  const usedRules = catalogue.rules.filter((rule) => files.some((file) => all(file).some((finding) => finding.ruleId === rule.id)));
  const ruleIndex = new Map(usedRules.map((rule, index) => [rule.id, index]));
  const owner = new Map(files.flatMap((file) => all(file).map((finding) => [finding, file.path] as const)));
  const pathOf = (finding: Finding) => owner.get(finding) ?? finding.file;
  const problems = options.problems ?? [];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secure-config-review',
            version: options.toolVersion,
            informationUri: options.helpBase,
            rules: usedRules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.title[language] },
              fullDescription: { text: `${rule.why[language]} ${rule.howToFix[language]}` },
              help: { text: rule.howToFix[language] },
              helpUri: `${options.helpBase}${rule.id}.md`,
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
              properties: { threats: rule.threats, tags: ['security', ...rule.threats] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: problems.length === 0,
            toolExecutionNotifications: problems.map((problem) => ({
              level: 'error',
              message: { text: problem.message[language] },
              locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(problem.path) } } }],
            })),
          },
        ],
        results: files.flatMap((file) =>
          all(file).map((finding) => ({
            ruleId: finding.ruleId,
            ruleIndex: ruleIndex.get(finding.ruleId),
            level: SARIF_LEVEL[finding.severity],
            message: { text: finding.message[language] },
            locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(pathOf(finding)) }, region: region(finding) } }],
            relatedLocations: finding.related.map((related, index) => ({
              id: index + 1,
              message: { text: related.message[language] },
              physicalLocation: { artifactLocation: { uri: artifactUri(relativeTo(pathOf(finding), finding.file, related.file)) }, region: region(related) },
            })),
            fixes: [...(finding.fix ? [finding.fix] : []), ...finding.suggestions].map((fix) => ({
              description: { text: fix.title[language] },
              artifactChanges: groupByFile(fix.edits).map(([file, edits]) => ({
                artifactLocation: { uri: artifactUri(relativeTo(pathOf(finding), finding.file, file)) },
                replacements: edits.map((edit) => ({ deletedRegion: region(edit), insertedContent: { text: edit.newText } })),
              })),
            })),
            ...(finding.suppression
              ? {
                  suppressions: [
                    {
                      kind: 'inSource',
                      status: 'accepted',
                      justification: finding.suppression.reason,
                      location: {
                        physicalLocation: {
                          artifactLocation: { uri: artifactUri(pathOf(finding)) },
                          region: { startLine: finding.suppression.line + 1 },
                        },
                      },
                    },
                  ],
                }
              : {}),
            properties: { threats: finding.threats, safeFix: Boolean(finding.fix) },
          })),
        ),
      },
    ],
  };
}

function groupByFile<T extends { file: string }>(items: T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.file, [...(groups.get(item.file) ?? []), item]);
  return [...groups];
}

/** Shows `other` the way `shown` shows `actual`: same prefix replacement (relative audit paths stay relative). */
function relativeTo(shown: string, actual: string, other: string): string {
  const normalisedActual = actual.replace(/\\/g, '/');
  const normalisedOther = other.replace(/\\/g, '/');
  if (normalisedActual.endsWith(shown)) {
    const root = normalisedActual.slice(0, normalisedActual.length - shown.length);
    if (normalisedOther.startsWith(root)) return normalisedOther.slice(root.length);
  }
  return normalisedOther;
}

/** `path:line:col: severity rule-id message`, one line a finding. */
export function toTextLines(files: AuditedFile[], language: Language = 'en'): string[] {
  return files.flatMap((file) =>
    file.findings.map(
      (finding) =>
        `${file.path}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${finding.severity} ${finding.ruleId} ${finding.message[language]}`,
    ),
  );
}

/**
 * A readable Markdown report: summary by severity and by threat entry, then every finding with its sources,
 * the findings suppression comments hide (with their reasons) and the paths that could not be audited.
 */
export function toMarkdownReport(catalogue: Catalogue, files: AuditedFile[], language: Language = 'en', problems: PathProblem[] = []): string {
  const say = (key: ReturnType<typeof text>) => catalogue.resolve(key)[language];
  const all = files.flatMap((file) => file.findings.map((finding) => ({ file, finding })));
  const hidden = files.flatMap((file) => (file.suppressed ?? []).map((finding) => ({ file, finding })));
  const lines: string[] = [`# ${say(text('report.title'))}`, ''];
  lines.push(say(text('report.totals', { files: files.length, findings: all.length })), '');
  if (hidden.length) lines.push(say(text('report.suppressed-total', { count: hidden.length })), '');
  if (problems.length) lines.push(say(text('report.unreadable-total', { count: problems.length })), '');
  lines.push(`## ${say(text('report.by-severity'))}`, '');
  for (const severity of ['error', 'warning', 'info'] as Severity[])
    lines.push(`- ${severity}: ${all.filter(({ finding }) => finding.severity === severity).length}`);
  lines.push('', `## ${say(text('report.by-threat'))}`, '');
  const byThreat = new Map<string, number>();
  for (const { finding } of all) for (const id of finding.threats) byThreat.set(id, (byThreat.get(id) ?? 0) + 1);
  for (const [id, count] of [...byThreat].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
    lines.push(`- ${id} ${catalogue.threatById(id)?.title[language] ?? ''}: ${count}`);
  lines.push('', `## ${say(text('report.findings'))}`, '');
  for (const { file, finding } of all) {
    const rule = catalogue.ruleById(finding.ruleId);
    lines.push(`### ${file.path}:${finding.range.start.line + 1} — ${finding.severity} \`${finding.ruleId}\``, '');
    lines.push(finding.message[language], '');
    if (rule) lines.push(`${say(text('report.why'))}: ${rule.why[language]}`, '', `${say(text('report.fix'))}: ${rule.howToFix[language]}`, '');
    const sources = finding.threats.map((id) => catalogue.threatById(id)).filter((entry) => entry !== undefined);
    if (sources.length)
      lines.push(`${say(text('report.sources'))}: ${sources.map((entry) => `${entry.id} (${entry.title[language]}; ${entry.source.section})`).join('; ')}`, '');
  }
  if (hidden.length) {
    lines.push(`## ${say(text('report.suppressed'))}`, '');
    for (const { file, finding } of hidden)
      lines.push(
        `- ${file.path}:${finding.range.start.line + 1} \`${finding.ruleId}\` — ${finding.message[language]} (${say(text('report.reason'))}: ${finding.suppression?.reason ?? ''})`,
      );
    lines.push('');
  }
  if (problems.length) {
    lines.push(`## ${say(text('report.unreadable'))}`, '');
    for (const problem of problems) lines.push(`- ${problem.message[language]}`);
    lines.push('');
  }
  return lines.join('\n');
}
