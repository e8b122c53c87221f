// What the CLI prints for people: plain `path:line:col: severity rule message` lines in a pipe (tools parse
// them), grouped by file and coloured on a terminal; the end summary by threat entry; --list-rules.
import { text } from '../core/check';
import type { Linter } from '../core/engine';
import type { AuditedFile, Language } from '../core/report';
import type { Finding, Severity } from '../core/types';
import { say } from './messages';

export interface Style {
  colour: boolean;
  /** Findings under a heading per file (a terminal), instead of one self-contained line each. */
  group: boolean;
}

/**
 * Colour only on a terminal, unless NO_COLOR (set and not empty) forbids it or FORCE_COLOR (set, not '0' or
 * 'false') asks for it even in a pipe; FORCE_COLOR wins when both are set, as in Node itself. Grouping follows
 * the terminal alone: a pipe always gets one line a finding.
 */
export function outputStyle(env: NodeJS.ProcessEnv, terminal: boolean): Style {
  const force = env.FORCE_COLOR !== undefined && !['0', 'false'].includes(env.FORCE_COLOR);
  const forbid = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return { colour: force || (terminal && !forbid), group: terminal };
}

const SGR = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', underline: '\u001b[4m', red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m' };
const SEVERITY_COLOUR: Record<Severity, string> = { error: SGR.red, warning: SGR.yellow, info: SGR.cyan };

function paint(style: Style, codes: string, value: string): string {
  return style.colour ? `${codes}${value}${SGR.reset}` : value;
}

/** Findings a baseline accepts are shown too (marked), never hidden; suppression comments keep them out of text. */
function shownOf(file: AuditedFile): Array<{ finding: Finding; baselined: boolean }> {
  const baselined = (file.suppressed ?? []).filter((finding) => finding.suppression?.kind === 'baseline');
  if (baselined.length === 0) return file.findings.map((finding) => ({ finding, baselined: false }));
  return [...file.findings.map((finding) => ({ finding, baselined: false })), ...baselined.map((finding) => ({ finding, baselined: true }))].sort(
    (a, b) => a.finding.start - b.finding.start,
  );
}

export function textReport(files: AuditedFile[], language: Language, style: Style): string[] {
  const lines: string[] = [];
  const mark = say(text('cli.baselined-mark'), language);
  for (const file of files) {
    const shown = shownOf(file);
    if (shown.length === 0) continue;
    if (style.group) {
      lines.push(paint(style, SGR.bold + SGR.underline, file.path));
      const width = Math.max(...shown.map(({ finding }) => `${finding.range.start.line + 1}:${finding.range.start.character + 1}`.length));
      for (const { finding, baselined } of shown) {
        const where = `${finding.range.start.line + 1}:${finding.range.start.character + 1}`.padEnd(width);
        const severity = finding.severity.padEnd(7);
        if (baselined) lines.push(paint(style, SGR.dim, `  ${where}  ${severity}  ${finding.message[language]}  ${finding.ruleId} ${mark}`));
        else
          lines.push(
            `  ${paint(style, SGR.dim, where)}  ${paint(style, SEVERITY_COLOUR[finding.severity], finding.severity)}${severity.slice(finding.severity.length)}  ${finding.message[language]}  ${paint(style, SGR.dim, finding.ruleId)}`,
          );
      }
      lines.push('');
    } else
      for (const { finding, baselined } of shown) {
        const severity = baselined ? finding.severity : paint(style, SEVERITY_COLOUR[finding.severity], finding.severity);
        lines.push(
          `${file.path}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${severity} ${finding.ruleId} ${finding.message[language]}${baselined ? ` ${mark}` : ''}`,
        );
      }
  }
  if (style.group && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The summary's second part: shown findings counted by the threat entries their rules link to. */
export function threatSummary(linter: Linter, files: AuditedFile[], language: Language): string[] {
  const counts = new Map<string, number>();
  for (const finding of files.flatMap((file) => file.findings)) for (const id of finding.threats) counts.set(id, (counts.get(id) ?? 0) + 1);
  if (counts.size === 0) return [];
  const lines = [say(text('cli.summary-by-threat'), language)];
  for (const [id, count] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
    lines.push(say(text('cli.summary-threat', { id, title: linter.catalogue.threatById(id)?.title[language] ?? '', count }), language));
  return lines;
}

export interface ListedRule {
  id: string;
  severity: Severity;
  title: string;
  /** Families whose checks report the rule; every family for the engine's own rules. */
  families: string[];
  threats: Array<{ id: string; title: string }>;
}

export function listRules(linter: Linter, language: Language): ListedRule[] {
  const everyFamily = linter.families.map((family) => family.id);
  return linter.catalogue.rules.map((rule) => {
    const defining = linter.families.filter((family) => family.catalogue.some((part) => part.rules.some((entry) => entry.id === rule.id)));
    const checking = linter.families.filter((family) => family.checks.some((check) => check.rule === rule.id));
    const families = defining.length === 0 && checking.length === 0 ? everyFamily : [...new Set([...defining, ...checking].map((family) => family.id))];
    return {
      id: rule.id,
      severity: rule.severity,
      title: rule.title[language],
      families,
      threats: rule.threats.map((id) => ({ id, title: linter.catalogue.threatById(id)?.title[language] ?? '' })),
    };
  });
}

export function listRulesText(rules: ListedRule[], linter: Linter, language: Language): string {
  const every = linter.families.length;
  const width = Math.max(...rules.map((rule) => rule.id.length));
  return rules
    .map((rule) => {
      const families = rule.families.length === every && every > 1 ? say(text('cli.list-rules-every-family'), language) : rule.families.join(',');
      return `${rule.id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${families}  ${rule.threats.map((threat) => threat.id).join(',') || '-'}`;
    })
    .join('\n');
}
