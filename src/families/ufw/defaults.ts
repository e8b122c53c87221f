// /etc/default/ufw (shell variable assignments ufw-init sources) and /etc/ufw/ufw.conf (ENABLED=, LOGLEVEL=).
import type { SourceText } from '../../core/source';
import type { Span } from '../../core/types';

export interface Assignment {
  name: string;
  /** The value with shell quotes removed. */
  value: string;
  nameSpan: Span;
  /** The value as written, quotes included. */
  valueSpan: Span;
  /** The value without its quotes. */
  innerSpan: Span;
  span: Span;
}

export interface UfwDefaults {
  source: SourceText;
  assignments: Assignment[];
}

/** `NAME=value`, `NAME="value"`, `NAME='value'` lines; the last assignment of a name wins, as in the shell. */
export function parseAssignments(source: SourceText): Assignment[] {
  const out: Assignment[] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const start = source.lineStarts[line]!;
    const text = source.lineText(line);
    const match = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|([^\s#;]*))\s*(#.*)?$/.exec(text);
    if (!match) continue;
    const nameStart = start + match[1]!.length;
    const valueStart = nameStart + match[2]!.length + 1;
    const written = match[3]!;
    const quoted = written.startsWith('"') || written.startsWith("'");
    const value = match[4] ?? match[5] ?? match[6] ?? '';
    const file = source.path;
    out.push({
      name: match[2]!,
      value,
      nameSpan: { file, start: nameStart, end: nameStart + match[2]!.length },
      valueSpan: { file, start: valueStart, end: valueStart + written.length },
      innerSpan: { file, start: valueStart + (quoted ? 1 : 0), end: valueStart + written.length - (quoted ? 1 : 0) },
      span: { file, start: nameStart, end: valueStart + written.length },
    });
  }
  return out;
}

export function setting(defaults: UfwDefaults | undefined, name: string): Assignment | undefined {
  if (!defaults) return undefined;
  for (let i = defaults.assignments.length - 1; i >= 0; i--) if (defaults.assignments[i]!.name === name) return defaults.assignments[i];
  return undefined;
}

export type UfwPolicy = 'ACCEPT' | 'DROP' | 'REJECT';

/** A DEFAULT_*_POLICY value as ufw-init uses it (Debian's default when the file or the line is missing). */
export function policyOf(defaults: UfwDefaults | undefined, name: 'DEFAULT_INPUT_POLICY' | 'DEFAULT_FORWARD_POLICY', fallback: UfwPolicy): UfwPolicy {
  const value = setting(defaults, name)?.value.toUpperCase();
  return value === 'ACCEPT' || value === 'DROP' || value === 'REJECT' ? value : fallback;
}
