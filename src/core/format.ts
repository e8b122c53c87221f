import type { FileAccess, ProjectSettings, Severity, Span } from './types';
import type { ModelKey, TextRef } from './check';
import type { SourceText } from './source';

/** A problem found while reading a file; the engine turns it into a `config/parse-problem` finding. */
export interface ParseProblem {
  span: Span;
  message: TextRef;
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
export interface FormatHandler<Model> {
  /** e.g. 'postfix-main'. */
  id: string;
  /** The model kind its checks take, e.g. the Postfix configuration for both main.cf and master.cf. */
  model: ModelKey<Model>;
  /** Catalogue text naming the format (for lists shown to users). */
  label: TextRef;
  /** Line-comment marker used for suppression comments. */
  commentPrefix: string;
  /** Recognises the file from its path ('/'-separated; the base name is its last part). */
  detectByName(path: string, baseName: string): boolean;
  /** Recognises the file from its first few kilobytes when the name says nothing. */
  detectByContent?(head: string): boolean;
  load(source: SourceText, context: LoadContext): Promise<Loaded<Model>>;
}

export function defineFormat<Model>(format: FormatHandler<Model>): FormatHandler<Model> {
  return format;
}
