// Tokens grouped by braces and parentheses, and blocks split into statements. A `{ … }` after `table x` or
// `chain x` is a block of statements (separated by line ends and `;`); in a rule it is an anonymous set
// (elements separated by commas, line ends ignored). The grouping is the same; each reader splits it its way.
import type { Span } from '../../core/types';
import type { Token } from './lexer';

export interface Group {
  kind: 'group';
  open: Token;
  /** Missing when the file ends first. */
  close?: Token;
  items: Node[];
  span: Span;
}

export type Node = Token | Group;

export function isGroup(node: Node | undefined): node is Group {
  return node?.kind === 'group';
}

declare const checked: unique symbol;
/**
 * A token a test has looked at. The brand keeps TypeScript from concluding, after a failed `isWord(x, 'a')`,
 * that `x` is no token at all (it may be another word).
 */
export type CheckedToken = Token & { readonly [checked]: true };

export function isWord(node: Node | undefined): node is Token & { kind: 'word' };
export function isWord(node: Node | undefined, ...words: string[]): node is CheckedToken;
export function isWord(node: Node | undefined, ...words: string[]): boolean {
  return node !== undefined && node.kind === 'word' && (words.length === 0 || words.includes(node.text));
}

export function isPunct(node: Node | undefined, ...texts: string[]): node is CheckedToken {
  return node !== undefined && node.kind === 'punct' && (texts.length === 0 || texts.includes(node.text));
}

export function nodeSpan(node: Node): Span {
  return node.span;
}

/** The span from the first node's start to the last node's end (same file). */
export function spanOf(nodes: readonly Node[]): Span {
  const first = nodes[0]!.span;
  const last = nodes[nodes.length - 1]!.span;
  return first.file === last.file ? { file: first.file, start: first.start, end: Math.max(first.end, last.end) } : first;
}

export interface GroupResult {
  nodes: Node[];
  /** Closing braces with no opening one, and groups the file leaves open. */
  unbalanced: Span[];
}

const CLOSER: Record<string, string> = { '{': '}', '(': ')' };

/** Groups tokens by `{}` and `()`; nesting depth is bounded so that damaged input cannot recurse without end. */
export function group(tokens: readonly Token[]): GroupResult {
  const unbalanced: Span[] = [];
  const root: Node[] = [];
  const stack: { group: Group; closer: string }[] = [];
  const current = () => (stack.length ? stack[stack.length - 1]!.group.items : root);
  for (const token of tokens) {
    if (token.kind === 'punct' && (token.text === '{' || token.text === '(')) {
      const opened: Group = { kind: 'group', open: token, items: [], span: { ...token.span } };
      current().push(opened);
      stack.push({ group: opened, closer: CLOSER[token.text]! });
      continue;
    }
    if (token.kind === 'punct' && (token.text === '}' || token.text === ')')) {
      const index = findLast(stack, token.text);
      if (index < 0) {
        unbalanced.push(token.span);
        continue;
      }
      while (stack.length > index + 1) {
        const left = stack.pop()!;
        unbalanced.push(left.group.open.span);
      }
      const closed = stack.pop()!.group;
      closed.close = token;
      closed.span = { file: closed.open.span.file, start: closed.open.span.start, end: token.span.end };
      continue;
    }
    current().push(token);
  }
  for (const left of stack) {
    unbalanced.push(left.group.open.span);
    const items = left.group.items;
    const last = items[items.length - 1];
    if (last) left.group.span = { ...left.group.span, end: last.span.end };
  }
  return { nodes: root, unbalanced };
}

function findLast(stack: readonly { closer: string }[], closer: string): number {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.closer === closer) return i;
  return -1;
}

/** A block's statements: split at line ends and `;`, empty statements dropped. */
export function statements(nodes: readonly Node[]): Node[][] {
  const out: Node[][] = [];
  let current: Node[] = [];
  for (const node of nodes) {
    if (node.kind === 'newline' || isPunct(node, ';')) {
      if (current.length) out.push(current);
      current = [];
    } else current.push(node);
  }
  if (current.length) out.push(current);
  return out;
}

/** A set's elements: split at commas, line ends ignored, empty elements dropped. */
export function elements(nodes: readonly Node[]): Node[][] {
  const out: Node[][] = [];
  let current: Node[] = [];
  for (const node of nodes) {
    if (node.kind === 'newline') continue;
    if (isPunct(node, ',')) {
      if (current.length) out.push(current);
      current = [];
    } else current.push(node);
  }
  if (current.length) out.push(current);
  return out;
}
