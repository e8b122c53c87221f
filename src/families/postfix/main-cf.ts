import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import { text } from '../../core/check';
import type { SourceText } from '../../core/source';
import { logicalLines } from './logical-lines';
import type { TrackedText } from './tracked-text';

export interface Definition {
  name: string;
  nameSpan: Span;
  /** The value after '=', trimmed, not yet expanded. */
  value: TrackedText;
  /** The whole logical line (all its physical lines). */
  span: Span;
}

export interface MainCf {
  source: SourceText;
  /** Every definition in file order; `effective` keeps the last one per name (postconf(5)). */
  definitions: Definition[];
  effective: Map<string, Definition>;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

export function parseMainCf(source: SourceText, problems: ParseProblem[]): MainCf {
  const definitions: Definition[] = [];
  for (const line of logicalLines(source)) {
    const lineText = line.value.text;
    const equals = lineText.indexOf('=');
    const span = { file: source.path, start: line.start, end: line.end };
    const name = equals < 0 ? '' : lineText.slice(0, equals).trim();
    if (equals < 0 || !NAME.test(name)) {
      problems.push({
        span,
        severity: 'warning',
        message:
          equals < 0 ? text('postfix.main-missing-equals', { word: lineText.split(/\s/)[0] ?? '' }) : text('postfix.main-not-a-parameter-name', { name }),
      });
      continue;
    }
    const nameStart = line.start + lineText.indexOf(name);
    definitions.push({
      name,
      nameSpan: { file: source.path, start: nameStart, end: nameStart + name.length },
      value: line.value.slice(equals + 1).trim(),
      span,
    });
  }
  // Last definition wins (postconf(5)); set one by one rather than through a [name, definition] pair per line.
  const effective = new Map<string, Definition>();
  for (const definition of definitions) effective.set(definition.name, definition);
  return { source, definitions, effective };
}
