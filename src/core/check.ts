import type { ProjectSettings, Severity, Span } from './types';
import type { AddressSet } from '../net';

/**
 * Names a model kind and the type of its value: a format's loader produces it and a check consumes it,
 * so `run(model, …)` is typed by the key it names without a cast.
 */
export interface ModelKey<Model> {
  readonly id: string;
  /** Never set: carries the model type (covariantly) so a key can be listed among keys of other models. */
  readonly modelType?: () => Model;
}

export function modelKey<Model>(id: string): ModelKey<Model> {
  return { id };
}

/** A value for a `{name}` placeholder: plain text, a number, or another catalogue text filled in each language. */
export type TemplateValue = string | number | TextRef;
export type TemplateData = Record<string, TemplateValue>;

/** User-facing text named by its catalogue key (`rules/*.json` "texts"), with data for its placeholders. */
export interface TextRef {
  readonly text: string;
  readonly data?: TemplateData;
}

/** Refers to the catalogue text `key`; every key used in code is checked against the catalogue by a test. */
export function text(key: string, data?: TemplateData): TextRef {
  return data ? { text: key, data } : { text: key };
}

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
  message: TextRef;
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
  /** `settings.trustedNetworks` as an address set, parsed once per lint. */
  trusted: AddressSet;
}

export interface Check<Model> {
  rule: string;
  /** The model kind this check reads; a format with the same key produces it. */
  model: ModelKey<Model>;
  run(model: Model, report: Report, context: CheckContext): void;
}

export function defineCheck<Model>(check: Check<Model>): Check<Model> {
  return check;
}
