import type { FileAccess, ProjectSettings, Severity, Span } from './types';
import type { ModelKey, TextRef } from './check';
import type { ContentVerdict } from './sniff';
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
  /** The closing mark of a block-comment syntax (XML: `-->`); suppression comments then close on their line. */
  commentSuffix?: string;
  /**
   * The file's own name says it is this format (`main.cf`, `nginx.conf`, `pg_hba.conf`; path '/'-separated,
   * the base name is its last part, a template's suffix such as `.j2` removed). Such a file is taken unless
   * its content contradicts the format (`judgeContent`) or is program source. A folder is not a name: see
   * `detectByFolder`.
   */
  detectByName(path: string, baseName: string): boolean;
  /**
   * The folder suggests this format (a file under `nginx/`, `sites-available/`): the file is taken only when
   * `judgeContent` says the content fits. Folder names alone never decide.
   */
  detectByFolder?(path: string, baseName: string): boolean;
  /** Recognises the file from its first few kilobytes alone, when its name says nothing: must be unambiguous. */
  detectByContent?(head: string): boolean;
  /**
   * How the first few kilobytes compare with this format: 'fits' confirms a folder's suggestion, 'contradicts'
   * overrides a name (a Python script called main.cf). Without it, content never confirms a folder and never
   * contradicts a name.
   */
  judgeContent?(head: string): ContentVerdict;
  /**
   * When set, a template of this format (Helm's `{{ .Values.x }}`, ...) is not read at all: this notice is its
   * one finding. Otherwise the engine reads a template with its tags set aside.
   */
  templateNotice?: TextRef;
  load(source: SourceText, context: LoadContext): Promise<Loaded<Model>>;
}

export function defineFormat<Model>(format: FormatHandler<Model>): FormatHandler<Model> {
  return format;
}
