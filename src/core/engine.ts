import type { FileAccess, Finding, Fix, Position, ProjectSettings, Range, RelatedLocation, Severity, Span, TextEdit } from './types';
import { type Check, type CheckContext, type EditSpec, type FixSpec, type Report, type ReportOptions, type TemplateData, type TextRef, text } from './check';
import type { FormatHandler, Loaded, ParseProblem } from './format';
import type { Family } from './family';
import { SourceText } from './source';
import { detectFormatIn, looksBinary, templateTagsOf } from './detect';
import { type TemplateScan, neutralise, outsideTags, tagText, touchesTag } from './template';
import { Catalogue, coreCatalogue } from './catalog';
import { defaultSettings } from './settings';
import { type SuppressionDirective, type NamedRule, commentSyntaxOf, parseSuppressions } from './suppression';
import { closestName } from './did-you-mean';
import { BudgetedFiles, LIMITS, MAX_EMBEDDED_TEXT, limitLabel, limitProblem } from './limits';
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

/**
 * The engine built from a list of families: detection, linting and the catalogue they make up together. Given a
 * function, the families are asked for (and checked) only when a lint needs them: a file whose name is never a
 * configuration's is refused without loading any family (start-up, issue 16).
 */
export class Linter {
  private readonly familySource: () => readonly Family[];
  private listed?: readonly Family[];
  private parts?: { families: readonly Family[]; formats: readonly FormatHandler<unknown>[] };
  private allChecks?: readonly Check<unknown>[];
  /** By model id: the checks that read it, in family order (a family's checks are loaded with its first lint). */
  private readonly checksByModel = new Map<string, readonly Check<unknown>[]>();
  /** The core's file first; the families' files are asked for when a lookup needs them (CLI messages need none). */
  readonly catalogue: Catalogue = new Catalogue([coreCatalogue()], undefined, () => this.listedFamilies().flatMap((family) => family.catalogueSources));
  private readonly trustedCache = new WeakMap<ProjectSettings, AddressSet>();

  constructor(families: readonly Family[] | (() => readonly Family[])) {
    if (typeof families === 'function') this.familySource = families;
    else {
      this.familySource = () => families;
      this.built();
    }
  }

  get families(): readonly Family[] {
    return this.built().families;
  }

  get formats(): readonly FormatHandler<unknown>[] {
    return this.built().formats;
  }

  /** Every check (this loads every family's checks). */
  get checks(): readonly Check<unknown>[] {
    return (this.allChecks ??= this.built().families.flatMap((family) => family.checks));
  }

  private checksOf(model: string): readonly Check<unknown>[] {
    let checks = this.checksByModel.get(model);
    if (!checks) {
      checks = this.built()
        .families.filter((family) => family.formats.some((format) => format.model.id === model))
        .flatMap((family) => family.checks.filter((check) => check.model.id === model));
      this.checksByModel.set(model, checks);
    }
    return checks;
  }

  private listedFamilies(): readonly Family[] {
    return (this.listed ??= this.familySource());
  }

  /** The families, checked: ids unique, format ids unique, every format's label in the catalogue. */
  private built(): NonNullable<Linter['parts']> {
    if (this.parts) return this.parts;
    const families = this.listedFamilies();
    const ids = new Set<string>();
    for (const family of families) {
      if (ids.has(family.id)) throw new Error(`family ${family.id} is listed twice`);
      ids.add(family.id);
    }
    const formats = families.flatMap((family) => family.formats);
    const formatIds = new Set<string>();
    for (const format of formats) {
      if (formatIds.has(format.id)) throw new Error(`format ${format.id} is defined twice`);
      formatIds.add(format.id);
      if (!this.catalogue.hasText(format.label.text)) throw new Error(`format ${format.id}: no catalogue text ${format.label.text} for its label`);
    }
    this.parts = { families, formats };
    return this.parts;
  }

  /** Decides a file's format: a user association wins, then the file name and path, then the content. */
  detectFormat(path: string, text: string | undefined, associations: Record<string, string> = {}): FormatHandler<unknown> | undefined {
    return detectFormatIn(() => this.formats, path, text, associations);
  }

  formatById(id: string): FormatHandler<unknown> | undefined {
    return this.formats.find((format) => format.id === id);
  }

  /**
   * Lints one file; related files (includes, the sibling master.cf, ...) are read through `options.files`.
   * A leading byte order mark is read as the daemons read it (not at all); offsets and ranges still refer to
   * `text` as given.
   */
  async lintFile(path: string, text: string, options: LintOptions): Promise<LintResult> {
    return this.lintText(path, text, options, true);
  }

  /**
   * `lintFile`; `templates` is false for the text of a template with its tags set aside (lintTemplate): blanking
   * a tag can join the text around it into something tag-like (`{{ {{ x }} }}`), which is not a tag of the file,
   * and looking again would set tags aside one at a time (a 2 MB line of braces took 27 s).
   */
  private async lintText(path: string, text: string, options: LintOptions, templates: boolean): Promise<LintResult> {
    if (text.charCodeAt(0) === 0xfeff) return shiftedPastBom(await this.lintText(path, text.slice(1), options, templates), path);
    const settings = options.settings ?? defaultSettings();
    const handler = options.format ? this.formatById(options.format) : this.detectFormat(path, text, settings.fileAssociations);
    if (!handler) return { findings: [], suppressed: [] };
    const source = new SourceText(path, text);
    const refusal = refuseUnreadable(source);
    if (refusal) return this.unchecked(refusal, source, settings, handler);
    const template = templates ? templateTagsOf(path, text) : undefined;
    if (template) return this.lintTemplate(source, template, handler, options, settings);

    // One lint reads at most LIMITS['file-reads'] files and folders (include fan-out), each without its BOM.
    const files = new BudgetedFiles(options.files);
    let loaded: Loaded<unknown>;
    try {
      loaded = await handler.load(source, { files, settings });
    } catch (error) {
      // Without a model no check can run: the finding says so (and that it is a bug to report).
      return this.unchecked(uncheckedProblem(source, 'reading', error), source, settings, handler);
    }
    // A flood of reports (a 4 MB list of ports, a million mongod lines) is counted, not kept: at most
    // MAX_PENDING_REPORTS are built into findings, the rest only add to the summary finding's counts.
    const reports: PendingReport[] = [];
    const overflow = new Map<string, number>();
    const keep = (report: PendingReport) => {
      if (reports.length < MAX_PENDING_REPORTS) reports.push(report);
      else overflow.set(report.rule, (overflow.get(report.rule) ?? 0) + 1);
    };
    for (const problem of loaded.problems) keep(problemToReport(problem));
    if (files.exceeded) keep(problemToReport(limitProblem(firstLine(source), 'file-reads', files.limit)));
    const context: CheckContext = { settings, trusted: this.trusted(settings) };
    for (const check of this.checksOf(handler.model.id)) {
      if (settings.rules[check.rule] === 'off') continue;
      const report: Report = (span, data = {}, reportOptions = {}) => keep({ rule: check.rule, span, data, options: reportOptions });
      try {
        check.run(loaded.model, report, context);
      } catch (error) {
        // What the rule reported before it failed is kept; every other rule runs as usual.
        keep(problemToReport(ruleProblem(source, check.rule, error)));
      }
    }
    try {
      return { format: handler.id, ...finalize(this.catalogue, reports, source, loaded.sources, settings, handler, true, overflow) };
    } catch (error) {
      return this.unchecked(uncheckedProblem(source, 'reporting', error), source, settings, handler);
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
      return this.unchecked(problem, source, settings, handler);
    };
    if (handler.templateNotice) return notice(handler.templateNotice);
    const result = await this.lintText(source.path, neutralise(source.text, template), { ...options, format: handler.id }, false);
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

  /** The result for a file the checks did not run on: its one problem (refused, unreadable, a failed loader, a template notice). */
  private unchecked(problem: ParseProblem, source: SourceText, settings: ProjectSettings, handler: FormatHandler<unknown>): LintResult {
    return { format: handler.id, ...finalize(this.catalogue, [problemToReport(problem)], source, [source], settings, handler, false) };
  }
}

/**
 * The engine over `families`: the one place where families meet the core (see src/families/index.ts). A function
 * is called for the families when a lint first needs them (src/product.ts).
 */
export function createLinter(families: readonly Family[] | (() => readonly Family[])): Linter {
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

/** Reports built into findings at most; beyond them reports are only counted (see `keep` in lintFile). */
const MAX_PENDING_REPORTS = 10 * LIMITS['findings-per-file'];

function firstLine(source: SourceText): Span {
  return { file: source.path, start: 0, end: source.lineEnd(0) };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A bug (an exception in a loader, a check or the engine), shown on the first line with what it prevented. */
function internalProblem(source: SourceText, message: TextRef): ParseProblem {
  return { span: firstLine(source), severity: 'info', message };
}

/** A loader or the engine itself failed: nothing of the file was checked. */
function uncheckedProblem(source: SourceText, stage: 'reading' | 'reporting', error: unknown): ParseProblem {
  const stageText = stage === 'reading' ? text('core.stage-reading') : text('core.stage-reporting');
  return internalProblem(source, text('core.internal-error-unchecked', { stage: stageText, detail: errorText(error) }));
}

/** A check failed: what it reported before is kept, and every other rule checked the file. */
function ruleProblem(source: SourceText, rule: string, error: unknown): ParseProblem {
  return internalProblem(source, text('core.internal-error-rule', { rule, detail: errorText(error) }));
}

/** A result computed on the text after its byte order mark, given back in offsets of the text with it. */
function shiftedPastBom(result: LintResult, path: string): LintResult {
  const range = (item: Range): Range => ({ start: shiftPosition(item.start), end: shiftPosition(item.end) });
  const fix = (item: Fix): Fix => ({
    ...item,
    edits: item.edits.map((edit) => (edit.file === path ? { ...edit, start: edit.start + 1, end: edit.end + 1, range: range(edit.range) } : edit)),
  });
  const finding = (item: Finding): Finding => ({
    ...item,
    start: item.start + 1,
    end: item.end + 1,
    range: range(item.range),
    ...(item.fix ? { fix: fix(item.fix) } : {}),
    suggestions: item.suggestions.map(fix),
    related: item.related.map((related) => (related.file === path ? { ...related, range: range(related.range) } : related)),
  });
  return { ...result, findings: result.findings.map(finding), suppressed: result.suppressed.map(finding) };
}

function shiftPosition(position: Position): Position {
  return position.line === 0 ? { line: 0, character: position.character + 1 } : position;
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
  for (const directive of parseSuppressions(linted, commentSyntaxOf(handler))) {
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
  overflow: ReadonlyMap<string, number> = new Map(),
): Pick<LintResult, 'findings' | 'suppressed'> {
  const byPath = new Map(sources.map((source) => [source.path, source]));
  byPath.set(linted.path, linted);
  const comments: PendingReport[] = [];
  // Suppressions are judged only when the checks ran: a refused (binary, huge) file hides nothing.
  const suppressions = checked ? usableSuppressions(catalogue, linted, handler, comments) : [];
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const suppressionsByRule = new Map<string, UsableSuppression[]>();
  for (const item of suppressions) suppressionsByRule.set(item.rule.id, [...(suppressionsByRule.get(item.rule.id) ?? []), item]);
  const suppressing = (ruleId: string, line: number): UsableSuppression | undefined => {
    if (ruleId === INVALID_SUPPRESSION_RULE || ruleId === UNUSED_SUPPRESSION_RULE) return undefined;
    const matches = (suppressionsByRule.get(ruleId) ?? []).filter((item) => item.directive.kind === 'file' || item.directive.target === line);
    for (const item of matches) item.used = true;
    return matches[0];
  };
  /** Places one report as a finding (or a suppressed one); `summary` is never merged with an equal report. */
  const place = (report: PendingReport, summary = false): void => {
    if (report.span.file !== linted.path) return;
    const rule = catalogue.ruleById(report.rule);
    if (!rule) throw new Error(`check reported unknown rule ${report.rule}`);
    const configured = settings.rules[report.rule];
    if (configured === 'off') return;
    const severity: Severity = configured ?? report.options.severity ?? rule.severity;
    // Parsers may point just past the end (an error "at end of input"); keep every span inside the text, and
    // off the middle of a CRLF line break (a parser splitting at \n counts the \r as the line's last character).
    const start = linted.safeOffset(report.span.start);
    const end = Math.max(start, linted.safeOffset(report.span.end));
    const range = linted.rangeOf(start, end);
    const key = `${report.rule}@${start}-${end}`;
    if (seen.has(key) && !summary) return;
    seen.add(key);
    const suppression = suppressing(report.rule, range.start.line);
    const message = catalogue.fill(rule.message, report.data, MAX_EMBEDDED_TEXT);
    const toFix = (spec: FixSpec): Fix | undefined => {
      const title = rule.fixTitles?.[spec.title];
      if (!title) throw new Error(`rule ${rule.id} has no fix title "${spec.title}"`);
      const edits: TextEdit[] = [];
      for (const edit of spec.edits) {
        const source = byPath.get(edit.span.file);
        if (!source) return undefined;
        edits.push(placeEdit(source, edit));
      }
      return { title: catalogue.fill(title, { ...report.data, ...spec.data }, MAX_EMBEDDED_TEXT), edits };
    };
    const related: RelatedLocation[] = [];
    for (const item of report.options.related ?? []) {
      const source = byPath.get(item.span.file);
      if (!source) continue;
      const relatedStart = source.safeOffset(item.span.start);
      const relatedEnd = Math.max(relatedStart, source.safeOffset(item.span.end));
      related.push({ file: item.span.file, range: source.rangeOf(relatedStart, relatedEnd), message: catalogue.resolve(item.message, MAX_EMBEDDED_TEXT) });
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
  for (const report of reports) place(report);
  for (const report of comments) place(report);
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
  const shown = withinFindingLimit(findings, overflow);
  if (shown.leftOut > 0) {
    // One summary in place of the rest, where the first finding left out was (else on the first line).
    const span = shown.firstLeftOut ? { file: linted.path, start: shown.firstLeftOut.start, end: shown.firstLeftOut.end } : firstLine(linted);
    const detail = text('core.findings-left-out', {
      limit: limitLabel('findings-per-file'),
      value: LIMITS['findings-per-file'],
      count: shown.leftOut,
      rules: shown.byRule.map(([rule, count]) => `${rule} \u00d7${count}`).join(', '),
    });
    findings.length = 0;
    findings.push(...shown.kept);
    place({ rule: PARSE_PROBLEM_RULE, span, data: { detail }, options: { severity: 'info' } }, true);
  }
  return { findings: findings.sort(inOrder), suppressed: suppressed.sort(inOrder) };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * At most LIMITS['findings-per-file'] findings: the most severe first, then in file order. Returns those kept,
 * how many were left out (with the reports that were only counted) and how many of each rule, most first.
 */
function withinFindingLimit(
  findings: Finding[],
  overflow: ReadonlyMap<string, number>,
): { kept: Finding[]; leftOut: number; byRule: [string, number][]; firstLeftOut?: Finding } {
  const limit = LIMITS['findings-per-file'];
  if (findings.length <= limit && overflow.size === 0) return { kept: findings, leftOut: 0, byRule: [] };
  const ranked = [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.start - b.start || a.end - b.end);
  const kept = ranked.slice(0, limit);
  const dropped = ranked.slice(limit);
  const counts = new Map(overflow);
  for (const finding of dropped) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
  let leftOut = 0;
  for (const count of counts.values()) leftOut += count;
  const byRule = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const firstLeftOut = dropped.reduce<Finding | undefined>((first, finding) => (!first || finding.start < first.start ? finding : first), undefined);
  return { kept, leftOut, byRule, ...(firstLeftOut ? { firstLeftOut } : {}) };
}

/**
 * A fix edit as the engine hands it out: inside the file, never between the \r and \n of a CRLF line break,
 * and written with the file's own line breaks (a check writes '\n'; a CRLF file gets '\r\n').
 * An offset inside a CRLF pair moves before the \r (the end of the line's content), except where the edit is
 * about whole lines: an insertion of a line ("text\n") or an edit from a line's start that removes or
 * rewrites whole lines moves after the \n.
 */
function placeEdit(source: SourceText, edit: EditSpec): TextEdit {
  const newText = source.withLineEnding(edit.newText);
  const endsLine = newText === '' || /[\r\n]$/.test(newText);
  const startsLine = /^[\r\n]/.test(newText);
  const insertion = edit.span.start === edit.span.end;
  const start = source.safeOffset(edit.span.start, insertion && endsLine && newText !== '' && !startsLine);
  const atLineStart = start === 0 || source.text[start - 1] === '\n' || source.text[start - 1] === '\r';
  const end = insertion ? start : Math.max(start, source.safeOffset(edit.span.end, atLineStart && endsLine));
  return { file: edit.span.file, start, end, range: source.rangeOf(start, end), newText };
}
