// Postfix parameter expansion (postconf(5) "$name", "${name}", "$(name)", "${name?value}",
// "${name:value}", "${name?{value}:{value}}", "$$"). Undefined names expand to nothing.
import { TrackedText } from './tracked-text';

export type Lookup = (name: string) => TrackedText | undefined;

const MAX_DEPTH = 50;

export class ExpansionLoop extends Error {}

export function expand(value: TrackedText, lookup: Lookup, depth = 0): TrackedText {
  if (depth > MAX_DEPTH) throw new ExpansionLoop('parameter expansion nests too deeply (a $name refers to itself)');
  const text = value.text;
  if (!text.includes('$')) return value;
  const parts: TrackedText[] = [];
  let literalStart = 0;
  let i = 0;
  const resolve = (name: string) => {
    const found = lookup(name);
    return found ? expand(found, lookup, depth + 1) : TrackedText.plain('');
  };
  while (i < text.length) {
    if (text[i] !== '$') {
      i++;
      continue;
    }
    parts.push(value.slice(literalStart, i));
    const next = text[i + 1];
    if (next === '$') {
      parts.push(value.slice(i + 1, i + 2));
      i += 2;
    } else if (next === '{' || next === '(') {
      const close = matchingClose(text, i + 1);
      const inner = value.slice(i + 2, close < 0 ? text.length : close);
      parts.push(expandBraced(inner, lookup, depth, resolve));
      i = close < 0 ? text.length : close + 1;
    } else {
      const match = /^[A-Za-z0-9_]+/.exec(text.slice(i + 1));
      if (match) {
        parts.push(resolve(match[0]));
        i += 1 + match[0].length;
      } else {
        parts.push(value.slice(i, i + 1));
        i++;
      }
    }
    literalStart = i;
  }
  parts.push(value.slice(literalStart));
  return TrackedText.join(parts);
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

function expandBraced(inner: TrackedText, lookup: Lookup, depth: number, resolve: (name: string) => TrackedText): TrackedText {
  const match = /^([A-Za-z0-9_]+)(?:([?:])([\s\S]*))?$/.exec(inner.text);
  if (!match) return TrackedText.plain('');
  const name = match[1]!;
  if (!match[2]) return resolve(name);
  const isSet = resolve(name).text.length > 0;
  let rest = inner.slice(name.length + 1);
  // ${name?{a}:{b}}: both branches in braces (Postfix 3.0).
  const both = /^\s*\{([\s\S]*)\}\s*:\s*\{([\s\S]*)\}\s*$/.exec(rest.text);
  if (match[2] === '?' && both) {
    const open = rest.text.indexOf('{');
    const whenSet = rest.slice(open + 1, open + 1 + both[1]!.length);
    const secondOpen = rest.text.lastIndexOf('{');
    const whenUnset = rest.slice(secondOpen + 1, rest.text.lastIndexOf('}'));
    return expand(isSet ? whenSet : whenUnset, lookup, depth + 1);
  }
  const braced = /^\s*\{([\s\S]*)\}\s*$/.exec(rest.text);
  if (braced) rest = rest.slice(rest.text.indexOf('{') + 1, rest.text.lastIndexOf('}'));
  const wanted = match[2] === '?' ? isSet : !isSet;
  return wanted ? expand(rest, lookup, depth + 1) : TrackedText.plain('');
}
