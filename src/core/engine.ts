import type { FileAccess, Finding, Fix, ProjectSettings, RelatedLocation, Severity, Span } from './types';
import type { FixSpec, Report, ReportOptions } from './check';
import type { FormatHandler, Loaded, ParseProblem } from './format';
import { SourceText } from './source';
import { checks } from './registry';
import { detectFormat, formatById, looksBinary } from './detect';
import { type TemplateData, fillTemplate, ruleById } from './catalog';
import { defaultSettings } from './settings';
import { collectSuppressions } from './suppression';

/** Files larger than this are not parsed: the finding says so instead of freezing the editor. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const PARSE_PROBLEM_RULE = 'config/parse-problem';

export interface LintOptions {
  files: FileAccess;
  settings?: ProjectSettings;
  /** Forces a format id (the user's choice), bypassing detection. */
  format?: string;
}

export interface LintResult {
  /** The detected or forced format, undefined when the file is not one this product reads. */
  format?: string;
  findings: Finding[];
}

/** Lints one file; related files (includes, the sibling master.cf, ...) are read through `options.files`. */
export async function lintFile(path: string, text: string, options: LintOptions): Promise<LintResult> {
  const settings = options.settings ?? defaultSettings();
  const handler = options.format ? formatById(options.format) : detectFormat(path, text, settings.fileAssociations);
  if (!handler) return { findings: [] };
  const source = new SourceText(path, text);
  const refusal = refuseUnreadable(source);
  if (refusal) return { format: handler.id, findings: finalize([problemToReport(refusal)], source, [source], settings, handler) };

  let loaded: Loaded<unknown>;
  try {
    loaded = await handler.load(source, { files: options.files, settings });
  } catch (error) {
    return { format: handler.id, findings: finalize([problemToReport(internalProblem(source, 'reading', error))], source, [source], settings, handler) };
  }
  const reports = [...loaded.problems.map(problemToReport)];
  for (const check of checks) {
    if (check.model !== handler.model) continue;
    if (settings.rules[check.rule] === 'off') continue;
    const report: Report = (span, data = {}, reportOptions = {}) => reports.push({ rule: check.rule, span, data, options: reportOptions });
    try {
      check.run(loaded.model, report, { settings });
    } catch (error) {
      reports.push(problemToReport(internalProblem(source, `rule ${check.rule}`, error)));
    }
  }
  return { format: handler.id, findings: finalize(reports, source, loaded.sources, settings, handler) };
}

interface PendingReport {
  rule: string;
  span: Span;
  data: TemplateData;
  options: ReportOptions;
}

function problemToReport(problem: ParseProblem): PendingReport {
  return {
    rule: PARSE_PROBLEM_RULE,
    span: problem.span,
    data: { detail: problem.message },
    options: problem.severity ? { severity: problem.severity } : {},
  };
}

function refuseUnreadable(source: SourceText): ParseProblem | undefined {
  const span = { file: source.path, start: 0, end: Math.min(source.text.length, source.lineEnd(0)) };
  if (source.text.length > MAX_FILE_BYTES)
    return {
      span,
      severity: 'info',
      message: {
        en: `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB and was not analysed`,
        ja: `ファイルが ${MAX_FILE_BYTES / 1024 / 1024} MiB を超えるため解析していません`,
      },
    };
  if (looksBinary(source.text))
    return {
      span,
      severity: 'info',
      message: { en: 'the file contains binary data and was not analysed', ja: 'バイナリデータを含むため解析していません' },
    };
  return undefined;
}

function internalProblem(source: SourceText, stage: string, error: unknown): ParseProblem {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    span: { file: source.path, start: 0, end: source.lineEnd(0) },
    severity: 'info',
    message: {
      en: `internal error while ${stage}: ${detail} (the rest of the file was still checked; please report this)`,
      ja: `${stage} の処理中に内部エラー: ${detail}（ほかの検査は実行済みです。報告してください）`,
    },
  };
}

function finalize(
  reports: PendingReport[],
  linted: SourceText,
  sources: SourceText[],
  settings: ProjectSettings,
  handler: FormatHandler,
): Finding[] {
  const byPath = new Map(sources.map((source) => [source.path, source]));
  byPath.set(linted.path, linted);
  const suppressions = collectSuppressions(linted, handler.commentPrefix);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const report of reports) {
    if (report.span.file !== linted.path) continue;
    const rule = ruleById(report.rule);
    if (!rule) throw new Error(`check reported unknown rule ${report.rule}`);
    const configured = settings.rules[report.rule];
    if (configured === 'off') continue;
    const severity: Severity = configured ?? report.options.severity ?? rule.severity;
    // Parsers may point just past the end (an error "at end of input"); keep every span inside the text.
    const start = Math.max(0, Math.min(report.span.start, linted.text.length));
    const end = Math.max(start, Math.min(report.span.end, linted.text.length));
    const range = linted.rangeOf(start, end);
    if (suppressions.suppresses(report.rule, range.start.line)) continue;
    const key = `${report.rule}@${start}-${end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const message = fillTemplate(rule.message, report.data);
    const toFix = (spec: FixSpec): Fix | undefined => {
      const title = rule.fixTitles?.[spec.title];
      if (!title) throw new Error(`rule ${rule.id} has no fix title "${spec.title}"`);
      const edits = [];
      for (const edit of spec.edits) {
        const source = byPath.get(edit.span.file);
        if (!source) return undefined;
        edits.push({ file: edit.span.file, start: edit.span.start, end: edit.span.end, range: source.rangeOf(edit.span.start, edit.span.end), newText: edit.newText });
      }
      return { title: fillTemplate(title, { ...report.data, ...spec.data }), edits };
    };
    const related: RelatedLocation[] = [];
    for (const item of report.options.related ?? []) {
      const source = byPath.get(item.span.file);
      if (source) related.push({ file: item.span.file, range: source.rangeOf(item.span.start, item.span.end), message: item.message });
    }
    const fix = report.options.fix ? toFix(report.options.fix) : undefined;
    findings.push({
      ruleId: report.rule,
      severity,
      message,
      file: linted.path,
      range,
      start,
      end,
      ...(fix ? { fix } : {}),
      suggestions: (report.options.suggestions ?? []).map(toFix).filter((fix): fix is Fix => fix !== undefined),
      related,
      threats: rule.threats,
    });
  }
  return findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
}
