// The shapes every layer shares. Plain data only: the CLI, the editor and the tests all consume these.

export type Severity = 'error' | 'warning' | 'info';

/** Text in both languages the product speaks. */
export interface Localized {
  en: string;
  ja: string;
}

/** 0-based line and UTF-16 character, the convention of VS Code and LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open span of UTF-16 offsets in one file, as parsers produce it. */
export interface Span {
  file: string;
  start: number;
  end: number;
}

export interface TextEdit {
  file: string;
  /** Offsets into the file text the finding was computed from. */
  start: number;
  end: number;
  range: Range;
  newText: string;
}

export interface Fix {
  title: Localized;
  edits: TextEdit[];
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: Localized;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: Localized;
  file: string;
  range: Range;
  /** Offsets of `range` in the linted text. */
  start: number;
  end: number;
  /** A behaviour-preserving edit that may run in "fix all" and on save. */
  fix?: Fix;
  /** Edits a human must accept (they change who may connect, relay or log in). */
  suggestions: Fix[];
  related: RelatedLocation[];
  /** Catalogue ids (threat-2020-*, incident-2020h1-*) this finding's rule links to. */
  threats: string[];
  /** Set on a finding a suppression comment hides: it is not shown, but reports count and list it. */
  suppression?: Suppression;
}

export interface Suppression {
  /** 'baseline': accepted by the CLI's --baseline file (not a comment in the source; SARIF kind "external"). */
  kind: 'next-line' | 'file' | 'baseline';
  /** Why the author accepts the finding (the text after ` -- `; for a baseline, the entry's reason or the file). */
  reason: string;
  /** 0-based line of the suppression comment (for a baseline, of the finding itself). */
  line: number;
}

/** How the engine reads files other than the one being linted (includes, sibling master.cf, ...). */
export interface FileAccess {
  readFile(path: string): Promise<string | undefined>;
  /** Entry names (not paths) of a directory, or undefined when it does not exist. */
  readDirectory(path: string): Promise<string[] | undefined>;
  /**
   * Optional: what `parse()` built from this kind, path and text earlier in the same audit, so a file that many
   * lints read (an included nginx.conf, the main.cf beside each master.cf) is parsed once (core/file-cache.ts).
   */
  parsed?<T>(kind: string, path: string, text: string, parse: () => T): T;
}

export type RuleSetting = 'off' | Severity;

/** Project settings: the same object decides rules in the editor and in the CLI. */
export interface ProjectSettings {
  /** Per rule id: 'off' or a severity override. */
  rules: Record<string, RuleSetting>;
  /** Ranges the organisation owns; they are not reported as public in allow-lists. */
  trustedNetworks: string[];
  /** Glob (matched against the path relative to the project root) -> format id. */
  fileAssociations: Record<string, string>;
}
