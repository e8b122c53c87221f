// Output shapes shared by the CLI and the editor's export commands.
import type { Finding, Localized, Severity, Suppression } from './types';
import type { Catalogue, RuleEntry } from './catalog';
import { text } from './check';
import { renderRuleMarkdown } from './docs';
import { fingerprintFinding } from './fingerprint';

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
  /**
   * Base of a public web page per rule (helpUri = base + rule id + '.md'); only an https: base is used. The rules'
   * documentation is embedded as `help` anyway, so no link to a local install path is ever written.
   */
  helpBase?: string;
  language?: Language;
  /** Paths that could not be audited: tool execution notifications, and the run is marked unsuccessful. */
  problems?: PathProblem[];
  /**
   * %SRCROOT%: artifact URIs are relative to this folder (the repository root, else the audited folder).
   * `path` is in the form of `Finding.file` ('/'-separated; a drive letter is allowed), `uri` is its URI.
   */
  sourceRoot?: SourceRoot;
  /** Where the relative paths of `AuditedFile.path` and `problems` start (absolute, as `sourceRoot.path`). */
  cwd?: string;
  /** The text a finding's file was linted from (by `Finding.file`), for `partialFingerprints`. */
  textOf?: (file: string) => string | undefined;
  /** The process's exit code, recorded in `invocations`. */
  exitCode?: number;
}

export interface SourceRoot {
  path: string;
  uri: string;
}

/** The uriBaseId of every repository-relative artifact location. */
export const SRCROOT = '%SRCROOT%';
/** The key of our entry in `partialFingerprints` (versioned, as SARIF asks: a new scheme gets a new version). */
export const FINGERPRINT_KEY = 'secureConfigReview/v1';

/**
 * GitHub code scanning ranks alerts by `properties.security-severity` (0.0-10.0: >= 9.0 critical, 7.0-8.9 high,
 * 4.0-6.9 medium, below 4.0 low). Ours follows the rule's severity, one step higher when the rule is linked to
 * an IPA incident entry (the mistake has been seen exploited, not only described as a threat):
 * error 8.0 (high), error + incident 9.0 (critical), warning 5.0 (medium), warning + incident 6.5 (medium),
 * info 2.0 (low), info + incident 3.5 (low). Documented in README ("SARIF for GitHub code scanning").
 */
export function securitySeverity(rule: Pick<RuleEntry, 'severity' | 'threats'>): string {
  const incident = rule.threats.some((id) => id.startsWith('incident-'));
  const score = { error: incident ? 9.0 : 8.0, warning: incident ? 6.5 : 5.0, info: incident ? 3.5 : 2.0 }[rule.severity];
  return score.toFixed(1);
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

const isAbsolute = (path: string) => path.startsWith('/') || /^[A-Za-z]:\//.test(path);

/** '/'-separated, '.' and '..' segments resolved, no trailing '/'; relative paths are joined to `cwd`. */
function absolutePath(path: string, cwd: string | undefined): string | undefined {
  const slashed = path.replace(/\\/g, '/');
  const joined = isAbsolute(slashed) ? slashed : cwd !== undefined ? `${cwd.replace(/\\/g, '/')}/${slashed}` : undefined;
  if (joined === undefined) return undefined;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  const drive = /^[A-Za-z]:$/.test(parts[0] ?? '');
  return drive ? parts.join('/') : `/${parts.join('/')}`;
}

/** An artifactLocation: relative to %SRCROOT% when the file is below it, else as `artifactUri` shows it. */
function locator(options: SarifOptions) {
  const root = options.sourceRoot ? absolutePath(options.sourceRoot.path, undefined) : undefined;
  const prefix = root === undefined ? undefined : root.endsWith('/') ? root : `${root}/`;
  return (path: string, shown = path): { uri: string; uriBaseId?: string } => {
    const absolute = prefix ? absolutePath(path, options.cwd) : undefined;
    if (absolute !== undefined && prefix !== undefined && absolute.startsWith(prefix))
      return { uri: artifactUri(absolute.slice(prefix.length)), uriBaseId: SRCROOT };
    return { uri: artifactUri(shown) };
  };
}

/** Help as code scanning shows it: the rule page from the catalogue, as plain text and as Markdown. */
function ruleHelp(catalogue: Catalogue, rule: RuleEntry, language: Language): { text: string; markdown: string } {
  const say = (key: ReturnType<typeof text>) => catalogue.resolve(key)[language];
  const entries = rule.threats.map((id) => {
    const entry = catalogue.threatById(id);
    return entry ? `- ${id}: ${entry.title[language]} (${entry.source.section})` : `- ${id}`;
  });
  const plain = [
    rule.title[language],
    '',
    `${say(text('docs.why'))}: ${rule.why[language]}`,
    '',
    `${say(text('docs.how-to-fix'))}: ${rule.howToFix[language]}`,
    ...(entries.length ? ['', `${say(text('docs.threat-entries'))}:`, ...entries] : []),
  ].join('\n');
  return { text: plain, markdown: renderRuleMarkdown(catalogue, rule, language) };
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers: artifact URIs relative to %SRCROOT%, a fingerprint per
 * result that survives line moves (`partialFingerprints`), `security-severity` and threat entries as tags per
 * rule, the rule's documentation embedded as `help`, and every fix's replacement text. Suppressed findings are
 * results too, with `suppressions` (a comment: kind inSource; a baseline: kind external; the reason as
 * justification), so that viewers count them as suppressed rather than never seeing them.
 */
export function toSarif(catalogue: Catalogue, files: AuditedFile[], options: SarifOptions): object {
  const language = options.language ?? 'en';
  const all = (file: AuditedFile) => [...file.findings, ...(file.suppressed ?? [])];
  const usedRules = catalogue.rules.filter((rule) => files.some((file) => all(file).some((finding) => finding.ruleId === rule.id)));
  const ruleIndex = new Map(usedRules.map((rule, index) => [rule.id, index]));
  const owner = new Map(files.flatMap((file) => all(file).map((finding) => [finding, file.path] as const)));
  const shownOf = (finding: Finding) => owner.get(finding) ?? finding.file;
  const locate = locator(options);
  /** Where a finding's own file is, and another file of it (related location, fix) shown the same way. */
  const at = (finding: Finding, file = finding.file) => locate(file, relativeTo(shownOf(finding), finding.file, file));
  const fingerprint = (finding: Finding) => {
    const source = options.textOf?.(finding.file);
    return source === undefined ? undefined : fingerprintFinding(source, finding);
  };
  const problems = options.problems ?? [];
  const exitCode = options.exitCode;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secure-config-review',
            version: options.toolVersion,
            ...(webBase(options.helpBase) ? { informationUri: webBase(options.helpBase) } : {}),
            rules: usedRules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.title[language] },
              fullDescription: { text: `${rule.why[language]} ${rule.howToFix[language]}` },
              help: ruleHelp(catalogue, rule, language),
              ...(webBase(options.helpBase) ? { helpUri: `${webBase(options.helpBase)}${rule.id}.md` } : {}),
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
              properties: {
                tags: ['security', ...rule.threats],
                'security-severity': securitySeverity(rule),
                precision: 'high',
                threats: rule.threats,
              },
            })),
          },
        },
        ...(options.sourceRoot ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.sourceRoot.uri) } } } : {}),
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: problems.length === 0 && exitCode !== 2,
            ...(exitCode !== undefined ? { exitCode } : {}),
            toolExecutionNotifications: problems.map((problem) => ({
              level: 'error',
              message: { text: problem.message[language] },
              locations: [{ physicalLocation: { artifactLocation: locate(problem.path) } }],
            })),
          },
        ],
        results: files.flatMap((file) =>
          all(file).map((finding) => {
            const hash = fingerprint(finding);
            return {
              ruleId: finding.ruleId,
              ruleIndex: ruleIndex.get(finding.ruleId),
              level: SARIF_LEVEL[finding.severity],
              message: { text: finding.message[language] },
              locations: [{ physicalLocation: { artifactLocation: at(finding), region: region(finding) } }],
              ...(hash ? { partialFingerprints: { [FINGERPRINT_KEY]: hash } } : {}),
              relatedLocations: finding.related.map((related, index) => ({
                id: index + 1,
                message: { text: related.message[language] },
                physicalLocation: { artifactLocation: at(finding, related.file), region: region(related) },
              })),
              fixes: [...(finding.fix ? [finding.fix] : []), ...finding.suggestions].map((fix) => ({
                description: { text: fix.title[language] },
                artifactChanges: groupByFile(fix.edits).map(([file, edits]) => ({
                  artifactLocation: at(finding, file),
                  replacements: edits.map((edit) => ({ deletedRegion: region(edit), insertedContent: { text: edit.newText } })),
                })),
              })),
              ...(finding.suppression ? { suppressions: [suppressionOf(finding.suppression, at(finding))] } : {}),
              properties: { threats: finding.threats, safeFix: Boolean(finding.fix) },
            };
          }),
        ),
      },
    ],
  };
}

/** A comment in the file is an inSource suppression (located at the comment); anything else (a baseline) is external. */
function suppressionOf(suppression: Suppression, artifactLocation: { uri: string; uriBaseId?: string }): object {
  const kind: string = suppression.kind;
  if (kind === 'next-line' || kind === 'file')
    return {
      kind: 'inSource',
      status: 'accepted',
      justification: suppression.reason,
      location: { physicalLocation: { artifactLocation, region: { startLine: suppression.line + 1 } } },
    };
  return { kind: 'external', status: 'accepted', ...(suppression.reason ? { justification: suppression.reason } : {}) };
}

/** An https: base for help pages, or undefined (a file: link to where the tool is installed helps no one else). */
function webBase(base: string | undefined): string | undefined {
  return base !== undefined && /^https:\/\//i.test(base) ? base : undefined;
}

/** originalUriBaseIds URIs name folders: they must end with '/'. */
function directoryUri(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
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
