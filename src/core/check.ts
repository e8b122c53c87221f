import type { Localized, ProjectSettings, Severity, Span } from './types';
import type { TemplateData } from './catalog';

export interface EditSpec {
  span: Span;
  newText: string;
}

export interface FixSpec {
  /** Key into the rule's `fixTitles` in the catalogue. */
  title: string;
  data?: TemplateData;
  edits: EditSpec[];
}

export interface RelatedSpec {
  span: Span;
  message: Localized;
}

export interface ReportOptions {
  /** Overrides the catalogue severity for this finding (rules with error/warning variants). */
  severity?: Severity;
  fix?: FixSpec;
  suggestions?: FixSpec[];
  related?: RelatedSpec[];
}

export type Report = (span: Span, data?: TemplateData, options?: ReportOptions) => void;

export interface CheckContext {
  settings: ProjectSettings;
}

export interface Check<Model = any> {
  rule: string;
  /** The model kind (FormatHandler.model) this check reads. */
  model: string;
  run(model: Model, report: Report, context: CheckContext): void;
}

export function defineCheck<Model>(check: Check<Model>): Check<Model> {
  return check;
}
