// Edits to nginx files that keep their layout: new lines take the indentation of their neighbours.
import type { EditSpec } from '../../../../core/check';
import type { Span } from '../../../../core/types';
import type { NginxConfig } from '../../nginx/model';
import type { NginxDirective } from '../../nginx/syntax';

function indentAt(config: NginxConfig, offset: number, file: string): string {
  const source = config.sourceOf(file);
  if (!source) return '';
  const line = source.lineText(source.positionAt(offset).line);
  return /^[ \t]*/.exec(line)![0];
}

/** One indentation step as the file uses it (a tab if the file indents with tabs). */
function step(indent: string): string {
  return indent.includes('\t') ? '\t' : '    ';
}

/** Inserts directives as the first lines inside a block. */
export function insertAtBlockStart(config: NginxConfig, block: NginxDirective, lines: string[]): EditSpec | undefined {
  if (block.blockOpen === undefined) return undefined;
  const file = block.nameSpan.file;
  const first = block.block?.find((child) => child.nameSpan.file === file);
  const source = config.sourceOf(file);
  const sameLine = first && source && source.positionAt(first.nameSpan.start).line === source.positionAt(block.blockOpen).line;
  const indent =
    first && !sameLine
      ? indentAt(config, first.nameSpan.start, file)
      : indentAt(config, block.nameSpan.start, file) + step(indentAt(config, block.nameSpan.start, file) || '    ');
  return { span: { file, start: block.blockOpen, end: block.blockOpen }, newText: lines.map((line) => `\n${indent}${line}`).join('') };
}

/** Inserts lines right after a directive, at its indentation. */
export function insertAfter(config: NginxConfig, directive: NginxDirective, lines: string[]): EditSpec {
  const indent = indentAt(config, directive.nameSpan.start, directive.nameSpan.file);
  const at = directive.span.end;
  return { span: { file: directive.span.file, start: at, end: at }, newText: lines.map((line) => `\n${indent}${line}`).join('') };
}

/** Removes a directive and its line when it is alone on it. */
export function removeDirective(config: NginxConfig, directive: NginxDirective): EditSpec {
  const source = config.sourceOf(directive.span.file);
  const span = directive.span;
  if (source) {
    const line = source.positionAt(span.start).line;
    const lineStart = source.lineStarts[line]!;
    const lineEnd = source.lineEnd(line);
    const before = source.text.slice(lineStart, span.start);
    const after = source.text.slice(span.end, lineEnd);
    if (/^[ \t]*$/.test(before) && /^[ \t]*(#.*)?$/.test(after)) {
      const next = line + 1 < source.lineCount ? source.lineStarts[line + 1]! : lineEnd;
      return { span: { file: span.file, start: lineStart, end: next }, newText: '' };
    }
  }
  return { span, newText: '' };
}

/** `location /x` up to the end of its pattern: where a finding about a location is underlined. */
export function headSpan(directive: NginxDirective): Span {
  const last = directive.args[directive.args.length - 1];
  return { file: directive.nameSpan.file, start: directive.nameSpan.start, end: last ? last.span.end : directive.nameSpan.end };
}

/** A placeholder allow-list: the organisation's own networks from the settings, else a private block to edit. */
export function allowListLines(trusted: string[]): string[] {
  const ranges = trusted.length ? trusted : ['192.168.0.0/16'];
  return [...ranges.map((range) => `allow ${range};`), 'deny all;'];
}
