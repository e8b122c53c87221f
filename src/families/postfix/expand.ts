// Postfix parameter expansion (postconf(5) "$name", "${name}", "$(name)", "${name?value}",
// "${name:value}", "${name?{value}:{value}}", "$$"). Undefined names expand to nothing.
//
// Bounded as Postfix bounds it, and more: mac_expand(3) stops with "unreasonable macro call nesting" beyond
// 100 levels (a `$name` loop reaches it at once), and an expansion may not grow beyond MAX_EXPANDED_LENGTH
// characters (Postfix has no such limit, but `p1 = $p0 $p0`, `p2 = $p1 $p1`, ... doubles at every level).
// Names are resolved by the caller (PostfixConfig), which memoises each name's expansion, so the work is
// proportional to the text produced, never to the number of paths through the references.
import { MAX_EXPANSION_RUNS, TrackedText } from './tracked-text';

/** mac_expand(3): nesting deeper than this is fatal for Postfix ("unreasonable macro call nesting"). */
export const MAX_NESTING = 100;
/** Characters one parameter's expansion may produce here. */
export const MAX_EXPANDED_LENGTH = 1_000_000;

/** A name's expansion and how deeply it nests (0: no reference), or 'failed' (the reason is recorded by the resolver). */
export type Resolved = { text: TrackedText; height: number } | 'failed';
export type Resolve = (name: string) => Resolved;

class Failed extends Error {}

type Use = (name: string, level: number) => TrackedText;
type Grow = (part: TrackedText) => TrackedText;

/** `value` with every reference replaced; 'failed' when a reference failed or the result is too long. */
export function expandValue(value: TrackedText, resolve: Resolve, onTooLong: () => void): Resolved {
  let height = 0;
  let length = 0;
  const use: Use = (name, level) => {
    const found = resolve(name);
    if (found === 'failed') throw new Failed();
    height = Math.max(height, level + found.height + 1);
    return found.text;
  };
  const grow: Grow = (part) => {
    length += part.length;
    if (length > MAX_EXPANDED_LENGTH) {
      onTooLong();
      throw new Failed();
    }
    return part;
  };
  try {
    return { text: expandIn(value, 0, use, grow), height };
  } catch (error) {
    if (error instanceof Failed) return 'failed';
    throw error;
  }
}

/** One level of expansion; a conditional's value is expanded one level deeper (mac_expand recurses into it). */
function expandIn(value: TrackedText, level: number, use: Use, grow: Grow): TrackedText {
  const text = value.text;
  if (!text.includes('$')) return grow(value);
  const parts: TrackedText[] = [];
  let literalStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '$') {
      i++;
      continue;
    }
    parts.push(grow(value.slice(literalStart, i)));
    const next = text[i + 1];
    if (next === '$') {
      parts.push(grow(value.slice(i + 1, i + 2)));
      i += 2;
    } else if (next === '{' || next === '(') {
      const close = matchingClose(text, i + 1);
      const inner = value.slice(i + 2, close < 0 ? text.length : close);
      parts.push(expandBraced(inner, level, use, grow));
      i = close < 0 ? text.length : close + 1;
    } else {
      let end = i + 1;
      while (end < text.length && /[A-Za-z0-9_]/.test(text[end]!)) end++;
      if (end > i + 1) {
        parts.push(grow(use(text.slice(i + 1, end), level)));
        i = end;
      } else {
        parts.push(grow(value.slice(i, i + 1)));
        i++;
      }
    }
    literalStart = i;
  }
  parts.push(grow(value.slice(literalStart)));
  return TrackedText.join(parts, '', MAX_EXPANSION_RUNS);
}

function matchingClose(text: string, open: number): number {
  const closer = text[open] === '{' ? '}' : ')';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === text[open]) depth++;
    else if (text[i] === closer && --depth === 0) return i;
  }
  return -1;
}

function expandBraced(inner: TrackedText, level: number, use: Use, grow: Grow): TrackedText {
  const text = inner.text;
  let nameEnd = 0;
  while (nameEnd < text.length && /[A-Za-z0-9_]/.test(text[nameEnd]!)) nameEnd++;
  const operator = text[nameEnd];
  if (nameEnd === 0 || (nameEnd < text.length && operator !== '?' && operator !== ':')) return TrackedText.plain('');
  const name = text.slice(0, nameEnd);
  if (nameEnd === text.length) return grow(use(name, level));
  const isSet = use(name, level).text.length > 0;
  let rest = inner.slice(nameEnd + 1);
  // ${name?{a}:{b}}: both branches in braces (Postfix 3.0).
  const both = operator === '?' ? bothBranches(rest.text) : undefined;
  if (both) {
    const [from, to] = isSet ? both.whenSet : both.whenUnset;
    return expandIn(rest.slice(from, to), level + 1, use, grow);
  }
  const braced = oneBraced(rest.text);
  if (braced) rest = rest.slice(braced[0], braced[1]);
  const wanted = operator === '?' ? isSet : !isSet;
  return wanted ? expandIn(rest, level + 1, use, grow) : TrackedText.plain('');
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/** `{a}` with blanks around it: the span inside the braces (first `{` to last `}`). */
function oneBraced(text: string): [number, number] | undefined {
  let start = 0;
  while (isBlank(text[start])) start++;
  let end = text.length;
  while (end > start && isBlank(text[end - 1])) end--;
  if (text[start] !== '{' || text[end - 1] !== '}' || end - start < 2) return undefined;
  return [start + 1, end - 1];
}

/** `{a}:{b}` with blanks around the parts: the spans inside both pairs of braces (as the greedy form reads it). */
function bothBranches(text: string): { whenSet: [number, number]; whenUnset: [number, number] } | undefined {
  const whole = oneBraced(text);
  if (!whole) return undefined;
  const secondOpen = text.lastIndexOf('{');
  // The separator: `}` blanks `:` blanks before the last `{`.
  let j = secondOpen - 1;
  while (j >= 0 && isBlank(text[j])) j--;
  if (text[j] !== ':') return undefined;
  j--;
  while (j >= 0 && isBlank(text[j])) j--;
  if (text[j] !== '}' || j < whole[0]) return undefined;
  return { whenSet: [whole[0], j], whenUnset: [secondOpen + 1, whole[1]] };
}
