// postconf(5) and master(5) share one line syntax:
// - a logical line starts with non-whitespace text; a line that starts with whitespace continues it;
// - empty lines, whitespace-only lines and lines whose first non-blank character is '#' are ignored,
//   even in the middle of a continued line; a '#' anywhere else is ordinary text.
import { skipSpace, trimmedEnd } from '../../core/chars';
import type { SourceText } from '../../core/source';
import { TrackedText } from './tracked-text';

export interface LogicalLine {
  /** Joined text; continuation pieces are joined with one space. */
  value: TrackedText;
  /** Offset of the first character and just past the last one, in the file. */
  start: number;
  end: number;
  /** 0-based line of the first physical line. */
  line: number;
}

export function logicalLines(source: SourceText): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let current: { pieces: TrackedText[]; start: number; end: number; line: number } | undefined;
  const flush = () => {
    if (current)
      lines.push({
        value: current.pieces.length === 1 ? current.pieces[0]! : TrackedText.join(current.pieces, ' '),
        start: current.start,
        end: current.end,
        line: current.line,
      });
    current = undefined;
  };
  for (let line = 0; line < source.lineCount; line++) {
    const lineStart = source.lineStarts[line]!;
    const text = source.lineText(line);
    const leading = skipSpace(text);
    if (leading === text.length || text.charCodeAt(leading) === 35) continue;
    const contentStart = lineStart + leading;
    const contentEnd = lineStart + trimmedEnd(text, text.length, leading);
    const piece = TrackedText.fromSource(source.path, source.text.slice(contentStart, contentEnd), contentStart);
    if (leading > 0 && current) {
      current.pieces.push(piece);
      current.end = contentEnd;
    } else {
      flush();
      current = { pieces: [piece], start: contentStart, end: contentEnd, line };
    }
  }
  flush();
  return lines;
}
