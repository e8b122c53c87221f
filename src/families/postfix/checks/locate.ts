// Where to put a finding and how to phrase edits to Postfix files without breaking their syntax.
import type { Span } from '../../../core/types';
import { type EditSpec, type RelatedSpec, type TextRef, text } from '../../../core/check';
import type { MasterService } from '../master-cf';
import type { ParameterValue, PostfixConfig } from '../config';
import type { TrackedText } from '../tracked-text';

/** The span where a list item was written; an item assembled from several places points at its parameter. */
export function itemSpan(config: PostfixConfig, item: TrackedText, value: ParameterValue): Span | undefined {
  const exact = item.span();
  if (exact) return exact;
  const origin = item.firstOrigin();
  if (origin) return { file: origin.file, start: origin.offset, end: origin.offset + 1 };
  return config.originSpan(value);
}

/** "in service X" for findings that depend on a master.cf service. */
export function serviceLabel(service: MasterService | undefined): TextRef | string {
  return service ? text('postfix.in-service', { name: service.name, type: service.type }) : '';
}

/** Related locations: the parameter definition the item is used through, and the master.cf service. */
export function relatedFor(span: Span, value: ParameterValue, service: MasterService | undefined): RelatedSpec[] {
  const related: RelatedSpec[] = [];
  const definition = value.origin.kind === 'main' ? value.origin.definition.span : value.origin.kind === 'override' ? value.origin.override.span : undefined;
  if (definition && (definition.file !== span.file || span.start < definition.start || span.end > definition.end))
    related.push({ span: definition, message: text('postfix.related-takes-value-here', { name: value.name }) });
  if (service && service.span.file !== span.file)
    related.push({ span: service.nameSpan, message: text('postfix.related-service-uses-it', { name: service.name, type: service.type }) });
  return related;
}

/**
 * An edit removing one list item and one separator next to it, so `a, b, c` becomes `a, c`.
 * Postfix lists accept commas and/or whitespace, so what is left stays a valid list.
 */
export function removeItemEdit(config: PostfixConfig, span: Span): EditSpec | undefined {
  const source = config.sourceOf(span.file);
  if (source === undefined) return undefined;
  const text = source.text;
  // An item alone on a continuation line takes its whole line with it.
  // Scans, not slices of the line: a list written on one long line has thousands of items.
  const line = source.positionAt(span.start).line;
  const lineStart = source.lineStarts[line]!;
  const lineEnd = source.lineEnd(line);
  let before = span.start;
  while (before > lineStart && (text[before - 1] === ' ' || text[before - 1] === '\t')) before--;
  let after = span.end;
  while (after < lineEnd && (text[after] === ' ' || text[after] === '\t' || text[after] === ',')) after++;
  if (lineStart > 0 && before === lineStart && span.start > lineStart && after === lineEnd)
    return { span: { file: span.file, start: lineStart, end: line + 1 < source.lineCount ? source.lineStarts[line + 1]! : text.length }, newText: '' };
  let end = span.end;
  while (end < text.length && /[ \t,]/.test(text[end]!)) end++;
  if (end < text.length && text[end] !== '\n' && text[end] !== '\r') return { span: { ...span, end }, newText: '' };
  let start = span.start;
  while (start > 0 && /[ \t,]/.test(text[start - 1]!)) start--;
  return { span: { file: span.file, start, end: span.end }, newText: '' };
}

/** Inserts `-o name=value` lines (continuation lines) at the end of a master.cf service entry. */
export function addOverrideEdit(service: MasterService, ...settings: Array<[name: string, value: string]>): EditSpec {
  const newText = settings.map(([name, value]) => `\n  -o ${name}=${value}`).join('');
  return { span: { file: service.span.file, start: service.span.end, end: service.span.end }, newText };
}

/** Sets a main.cf parameter: replaces the value of its last definition, or adds a line after `after`. */
export function setMainParameterEdit(config: PostfixConfig, name: string, value: string, after: Span): EditSpec | undefined {
  const existing = config.main?.effective.get(name);
  if (existing) {
    const span = existing.value.span();
    if (span) return { span, newText: value };
    const at = existing.span;
    return { span: { file: at.file, start: existing.nameSpan.start, end: at.end }, newText: `${name} = ${value}` };
  }
  if (!config.main || after.file !== config.main.source.path) return undefined;
  const source = config.main.source;
  const lineEnd = source.lineEnd(source.positionAt(after.end).line);
  return { span: { file: source.path, start: lineEnd, end: lineEnd }, newText: `\n${name} = ${value}` };
}
