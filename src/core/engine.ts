import type { FileAccess, Finding, Fix, ProjectSettings, RelatedLocation, Severity, Span } from './types';
import { type Check, type CheckContext, type FixSpec, type Report, type ReportOptions, type TemplateData, text } from './check';
import type { FormatHandler, Loaded, ParseProblem } from './format';
import type { Family } from './family';
import { SourceText } from './source';
import { detectFormatIn, looksBinary } from './detect';
import { Catalogue, coreCatalogue } from './catalog';
import { defaultSettings } from './settings';
import { collectSuppressions } from './suppression';
import { AddressSet } from '../net';

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

/** The engine built from a list of families: detection, linting and the catalogue they make up together. */
export class Linter {
  readonly families: readonly Family[];
  readonly formats: readonly FormatHandler<unknown>[];
  readonly checks: readonly Check<unknown>[];
  readonly catalogue: Catalogue;
  private readonly trustedCache = new WeakMap<ProjectSettings, AddressSet>();

  constructor(families: readonly Family[]) {
    const ids = new Set<string>();
    for (const family of families) {
      if (ids.has(family.id)) throw new Error(`family ${family.id} is listed twice`);
      ids.add(family.id);
    }
    this.families = families;
    this.formats = families.flatMap((family) => family.formats);
    this.checks = families.flatMap((family) => family.checks);
    this.catalogue = new Catalogue([coreCatalogue, ...families.flatMap((family) => family.catalogue)]);
    const formatIds = new Set<string>();
    for (const format of this.formats) {
      if (formatIds.has(format.id)) throw new Error(`format ${format.id} is defined twice`);
      formatIds.add(format.id);
      if (!this.catalogue.hasText(format.label.text)) throw new Error(`format ${format.id}: no catalogue text ${format.label.text} for its label`);
    }
  }

  /** Decides a file's format: a user association wins, then the file name and path, then the content. */
  detectFormat(path: string, text: string | undefined, associations: Record<string, string> = {}): FormatHandler<unknown> | undefined {
    return detectFormatIn(this.formats, path, text, associations);
  }

  formatById(id: string): FormatHandler<unknown> | undefined {
    return this.formats.find((format) => format.id === id);
  }

  /** Lints one file; related files (includes, the sibling master.cf, ...) are read through `options.files`. */
  async lintFile(path: string, text: string, options: LintOptions): Promise<LintResult> {
    const settings = options.settings ?? defaultSettings();
    const handler = options.format ? this.formatById(options.format) : this.detectFormat(path, text, settings.fileAssociations);
    if (!handler) return { findings: [] };
    const source = new SourceText(path, text);
    const refusal = refuseUnreadable(source);
    if (refusal) return { format: handler.id, findings: this.finalize([problemToReport(refusal)], source, [source], settings, handler) };

    let loaded: Loaded<unknown>;
    try {
      loaded = await handler.load(source, { files: options.files, settings });
    } catch (error) {
      return { format: handler.id, findings: this.finalize([problemToReport(internalProblem(source, 'reading', error))], source, [source], settings, handler) };
    }
    const reports = [...loaded.problems.map(problemToReport)];
    const context: CheckContext = { settings, trusted: this.trusted(settings) };
    for (const check of this.checks) {
      if (check.model.id !== handler.model.id) continue;
      if (settings.rules[check.rule] === 'off') continue;
      const report: Report = (span, data = {}, reportOptions = {}) => reports.push({ rule: check.rule, span, data, options: reportOptions });
      try {
        check.run(loaded.model, report, context);
      } catch (error) {
        reports.push(problemToReport(internalProblem(source, `rule ${check.rule}`, error)));
      }
    }
    let findings: Finding[];
    try {
      findings = this.finalize(reports, source, loaded.sources, settings, handler);
    } catch (error) {
      findings = this.finalize([problemToReport(internalProblem(source, 'reporting', error))], source, [source], settings, handler);
    }
    return { format: handler.id, findings };
  }

  private trusted(settings: ProjectSettings): AddressSet {
    let set = this.trustedCache.get(settings);
    if (!set) {
      set = AddressSet.parse(settings.trustedNetworks);
      this.trustedCache.set(settings, set);
    }
    return set;
  }

  private finalize(reports: PendingReport[], linted: SourceText, sources: SourceText[], settings: ProjectSettings, handler: FormatHandler<unknown>): Finding[] {
    return finalize(this.catalogue, reports, linted, sources, settings, handler);
  }
}

/** The engine over `families`: the one place where families meet the core (see src/families/index.ts). */
export function createLinter(families: readonly Family[]): Linter {
  return new Linter(families);
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
      message: text('core.file-too-large', { mib: MAX_FILE_BYTES / 1024 / 1024 }),
    };
  if (looksBinary(source.text))
    return {
      span,
      severity: 'info',
      message: text('core.binary-file'),
    };
  return undefined;
}

function internalProblem(source: SourceText, stage: string, error: unknown): ParseProblem {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    span: { file: source.path, start: 0, end: source.lineEnd(0) },
    severity: 'info',
    message: text('core.internal-error', { stage, detail }),
  };
}

function finalize(
  catalogue: Catalogue,
  reports: PendingReport[],
  linted: SourceText,
  sources: SourceText[],
  settings: ProjectSettings,
  handler: FormatHandler<unknown>,
): Finding[] {
  const byPath = new Map(sources.map((source) => [source.path, source]));
  byPath.set(linted.path, linted);
  const suppressions = collectSuppressions(linted, handler.commentPrefix);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const report of reports) {
    if (report.span.file !== linted.path) continue;
    const rule = catalogue.ruleById(report.rule);
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
    const message = catalogue.fill(rule.message, report.data);
    const toFix = (spec: FixSpec): Fix | undefined => {
      const title = rule.fixTitles?.[spec.title];
      if (!title) throw new Error(`rule ${rule.id} has no fix title "${spec.title}"`);
      const edits = [];
      for (const edit of spec.edits) {
        const source = byPath.get(edit.span.file);
        if (!source) return undefined;
        edits.push({
          file: edit.span.file,
          start: edit.span.start,
          end: edit.span.end,
          range: source.rangeOf(edit.span.start, edit.span.end),
          newText: edit.newText,
        });
      }
      return { title: catalogue.fill(title, { ...report.data, ...spec.data }), edits };
    };
    const related: RelatedLocation[] = [];
    for (const item of report.options.related ?? []) {
      const source = byPath.get(item.span.file);
      if (source) related.push({ file: item.span.file, range: source.rangeOf(item.span.start, item.span.end), message: catalogue.resolve(item.message) });
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
