// Edits to Exim lists that keep them valid: an item goes with one separator next to it.
import type { EditSpec } from '../../../core/check';
import type { Span } from '../../../core/types';
import type { SourceText } from '../../../core/source';

/** Removes the item at `span` and the separator after it (or before it, for the last item). */
export function removeListItem(source: SourceText, span: Span, separator: string): EditSpec {
  const text = source.text;
  let end = span.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text[end] === separator && text[end + 1] !== separator) {
    end++;
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    return { span: { ...span, end }, newText: '' };
  }
  let start = span.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (text[start - 1] === separator && text[start - 2] !== separator) {
    start--;
    while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    return { span: { ...span, start }, newText: '' };
  }
  return { span, newText: '' };
}
