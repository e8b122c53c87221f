import type { FileAccess, Localized, ProjectSettings, Severity, Span } from './types';
import type { SourceText } from './source';

/** A problem found while reading a file; the engine turns it into a `config/parse-problem` finding. */
export interface ParseProblem {
  span: Span;
  message: Localized;
  severity?: Severity;
}

export interface Loaded<Model> {
  model: Model;
  problems: ParseProblem[];
  /** Every file read to build the model (the linted one first), so spans in them can be located. */
  sources: SourceText[];
}

export interface LoadContext {
  files: FileAccess;
  settings: ProjectSettings;
}

/** One supported file kind: how to recognise it and how to read it into a model the checks share. */
export interface FormatHandler<Model = unknown> {
  /** e.g. 'postfix-main'. */
  id: string;
  /** The model kind its checks take, e.g. 'postfix' for both main.cf and master.cf. */
  model: string;
  label: Localized;
  /** Line-comment marker used for suppression comments. */
  commentPrefix: string;
  /** Recognises the file from its path ('/'-separated; the base name is its last part). */
  detectByName(path: string, baseName: string): boolean;
  /** Recognises the file from its first few kilobytes when the name says nothing. */
  detectByContent?(head: string): boolean;
  load(source: SourceText, context: LoadContext): Promise<Loaded<Model>>;
}
