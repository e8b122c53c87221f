import type { FileAccess, Finding, Fix, ProjectSettings, RelatedLocation, Severity, Span } from './types';
import { type Check, type CheckContext, type FixSpec, type Report, type ReportOptions, type TemplateData, type TextRef, text } from './check';
import type { FormatHandler, Loaded, ParseProblem } from './format';
import type { Family } from './family';
import { SourceText } from './source';
import { detectFormatIn, looksBinary, templateTagsOf } from './detect';
import { type TemplateScan, neutralise, outsideTags, tagText, touchesTag } from './template';
import { Catalogue, coreCatalogue } from './catalog';
import { defaultSettings } from './settings';
import { type SuppressionDirective, type NamedRule, parseSuppressions } from './suppression';
import { closestName } from './did-you-mean';
import { AddressSet } from '../net';

/** Files larger than this are not parsed: the finding says so instead of freezing the editor. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const PARSE_PROBLEM_RULE = 'config/parse-problem';
/** A suppression comment without a reason or a rule, with `*` or an unknown rule id (it suppresses nothing). */
export const INVALID_SUPPRESSION_RULE = 'config/invalid-suppression';
/** A suppression comment that hides no finding. */
export const UNUSED_SUPPRESSION_RULE = 'config/unused-suppression';
/** Rules the engine reports itself rather than a family's check. */
export const ENGINE_RULES: readonly string[] = [PARSE_PROBLEM_RULE, INVALID_SUPPRESSION_RULE, UNUSED_SUPPRESSION_RULE];

export interface LintOptions {
  files: FileAccess;
  settings?: ProjectSettings;
  /** Forces a format id (the user's choice), bypassing detection. */
  format?: string;
}

export interface LintResult {
  /** The detected or forced format, undefined when the file is not one this product reads. */
  format?: string;
  /** What to show: every finding no suppression comment hides. */
  findings: Finding[];
  /** Findings hidden by a suppression comment (each with its `suppression`), for reports and counts. */
  suppressed: Finding[];
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
    if (!handler) return { findings: [], suppressed: [] };
    const source = new SourceText(path, text);
    const refusal = refuseUnreadable(source);
    if (refusal) return { format: handler.id, ...this.finalize([problemToReport(refusal)], source, [source], settings, handler, false) };
    const template = templateTagsOf(path, text);
    if (template) return this.lintTemplate(source, template, handler, options, settings);

    let loaded: Loaded<unknown>;
    try {
      loaded = await handler.load(source, { files: options.files, settings });
    } catch (error) {
      return { format: handler.id, ...this.finalize([problemToReport(internalProblem(source, 'reading', error))], source, [source], settings, handler, false) };
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
    try {
      return { format: handler.id, ...this.finalize(reports, source, loaded.sources, settings, handler, true) };
    } catch (error) {
      return {
        format: handler.id,
        ...this.finalize([problemToReport(internalProblem(source, 'reporting', error))], source, [source], settings, handler, false),
      };
    }
  }

  /**
   * A template (see template.ts): linted with its tags set aside, keeping only what does not touch a tag; or,
   * when its format does not read templates or what is left still does not parse, one notice saying why.
   */
  private async lintTemplate(
    source: SourceText,
    template: TemplateScan,
    handler: FormatHandler<unknown>,
    options: LintOptions,
    settings: ProjectSettings,
  ): Promise<LintResult> {
    const notice = (message: TextRef): LintResult => {
      const first = template.tags[0]!;
      const problem: ParseProblem = { span: { file: source.path, start: first.start, end: first.end }, severity: 'info', message };
      return { format: handler.id, ...this.finalize([problemToReport(problem)], source, [source], settings, handler, false) };
    };
    if (handler.templateNotice) return notice(handler.templateNotice);
    const result = await this.lintFile(source.path, neutralise(source.text, template), { ...options, format: handler.id });
    const unreadable = result.findings.find((f) => f.ruleId === PARSE_PROBLEM_RULE && f.severity !== 'info' && !touchesTag(template, f.start, f.end));
    if (unreadable)
      return notice(text('core.template-not-read', { tag: tagText(source.text, template), format: handler.label, line: unreadable.range.start.line + 1 }));
    return { ...result, findings: outsideTags(result.findings, source, template), suppressed: outsideTags(result.suppressed, source, template) };
  }

  private trusted(settings: ProjectSettings): AddressSet {
    let set = this.trustedCache.get(settings);
    if (!set) {
      set = AddressSet.parse(settings.trustedNetworks);
      this.trustedCache.set(settings, set);
    }
    return set;
  }

  private finalize(
    reports: PendingReport[],
    linted: SourceText,
    sources: SourceText[],
    settings: ProjectSettings,
    handler: FormatHandler<unknown>,
    checked: boolean,
  ): Pick<LintResult, 'findings' | 'suppressed'> {
    return finalize(this.catalogue, reports, linted, sources, settings, handler, checked);
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

interface UsableSuppression {
  directive: SuppressionDirective;
  rule: NamedRule;
  used: boolean;
}

/**
 * The file's suppression comments that may hide findings; the others become config/invalid-suppression
 * reports. A comment without a reason or a rule hides nothing at all; `*` and unknown ids hide nothing.
 */
function usableSuppressions(catalogue: Catalogue, linted: SourceText, handler: FormatHandler<unknown>, reports: PendingReport[]): UsableSuppression[] {
  const usable: UsableSuppression[] = [];
  const invalid = (start: number, end: number, detail: TemplateData[string]) =>
    reports.push({ rule: INVALID_SUPPRESSION_RULE, span: { file: linted.path, start, end }, data: { detail }, options: {} });
  for (const directive of parseSuppressions(linted, handler.commentPrefix)) {
    if (directive.rules.length === 0) invalid(directive.start, directive.end, text('suppression.no-rule'));
    else if (!directive.reason) invalid(directive.start, directive.end, text('suppression.no-reason'));
    else
      for (const rule of directive.rules) {
        if (rule.id.includes('*')) invalid(rule.start, rule.end, text('suppression.wildcard'));
        else if (!catalogue.ruleById(rule.id)) {
          const name = closestName(
            rule.id,
            catalogue.rules.map((entry) => entry.id),
          );
          invalid(rule.start, rule.end, text('suppression.unknown-rule', { rule: rule.id, hint: name ? text('settings.did-you-mean', { name }) : '' }));
        } else if (rule.id === INVALID_SUPPRESSION_RULE || rule.id === UNUSED_SUPPRESSION_RULE)
          invalid(rule.start, rule.end, text('suppression.not-suppressible', { rule: rule.id }));
        else usable.push({ directive, rule, used: false });
      }
  }
  return usable;
}

function finalize(
  catalogue: Catalogue,
  reports: PendingReport[],
  linted: SourceText,
  sources: SourceText[],
  settings: ProjectSettings,
  handler: FormatHandler<unknown>,
  checked: boolean,
): Pick<LintResult, 'findings' | 'suppressed'> {
  const byPath = new Map(sources.map((source) => [source.path, source]));
  byPath.set(linted.path, linted);
  const comments: PendingReport[] = [];
  // Suppressions are judged only when the checks ran: a refused (binary, huge) file hides nothing.
  const suppressions = checked ? usableSuppressions(catalogue, linted, handler, comments) : [];
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const suppressing = (ruleId: string, line: number): UsableSuppression | undefined => {
    if (ruleId === INVALID_SUPPRESSION_RULE || ruleId === UNUSED_SUPPRESSION_RULE) return undefined;
    const matches = suppressions.filter((item) => item.rule.id === ruleId && (item.directive.kind === 'file' || item.directive.target === line));
    for (const item of matches) item.used = true;
    return matches[0];
  };
  const place = (report: PendingReport): void => {
    if (report.span.file !== linted.path) return;
    const rule = catalogue.ruleById(report.rule);
    if (!rule) throw new Error(`check reported unknown rule ${report.rule}`);
    const configured = settings.rules[report.rule];
    if (configured === 'off') return;
    const severity: Severity = configured ?? report.options.severity ?? rule.severity;
    // Parsers may point just past the end (an error "at end of input"); keep every span inside the text.
    const start = Math.max(0, Math.min(report.span.start, linted.text.length));
    const end = Math.max(start, Math.min(report.span.end, linted.text.length));
    const range = linted.rangeOf(start, end);
    const key = `${report.rule}@${start}-${end}`;
    if (seen.has(key)) return;
    seen.add(key);
    const suppression = suppressing(report.rule, range.start.line);
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
    (suppression ? suppressed : findings).push({
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
      ...(suppression ? { suppression: { kind: suppression.directive.kind, reason: suppression.directive.reason, line: suppression.directive.line } } : {}),
    });
  };
  reports.forEach(place);
  comments.forEach(place);
  // Every finding has been placed: a suppression none of them used hides nothing (a rule turned off is not
  // reported: its findings were never made, so whether the comment is still needed cannot be told).
  for (const item of suppressions)
    if (!item.used && settings.rules[item.rule.id] !== 'off')
      place({
        rule: UNUSED_SUPPRESSION_RULE,
        span: { file: linted.path, start: item.rule.start, end: item.rule.end },
        data: { rule: item.rule.id },
        options: {},
      });
  const inOrder = (a: Finding, b: Finding) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId);
  return { findings: findings.sort(inOrder), suppressed: suppressed.sort(inOrder) };
}
