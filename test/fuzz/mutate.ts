// Mutations of a seed file: what half-typed, pasted, generated or hostile text looks like.
import type { Random } from './random';

/** Characters that break naive tokenisers: every kind of whitespace and line break, NUL, BOMs, quotes, brackets. */
export const AWKWARD = [
  '\u0000',
  '\r',
  '\r\n',
  '\n',
  '\t',
  '\u00a0',
  '\f',
  '\v',
  '\u2028',
  '\u2029',
  '\u3000',
  '\u0085',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udc00',
  '\u00e9',
  '\u3042',
  '\u{1f600}',
  '\\',
  '"',
  "'",
  '`',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '$',
  '#',
  ';',
  ':',
  '=',
  ',',
  '*',
  '&',
  '!',
  '%',
  '@',
  '|',
  '~',
  '/',
  '-',
  '.',
  ' ',
];

export const UNICODE_SPACES = ['\u00a0', '\f', '\v', '\u2028', '\u3000', '\u2029', '\u0085', '\u1680', '\u2000', '\u200a', '\u202f', '\u205f'];

const LONG_UNITS = [
  ' ',
  '\t',
  '/',
  '\\',
  '[',
  ']',
  '{',
  '(',
  '"',
  "'",
  'a',
  '0',
  '.',
  ':',
  '$',
  '*',
  '-',
  ',',
  '=',
  '#',
  '%',
  '\u00a0',
  '${',
  '$a',
  '*.',
  '//',
  ' x',
  '1.',
  '::',
  '<<',
  '- ',
];

const ODD_VALUES = [
  '0',
  '-1',
  '4294967296',
  '99999999999999999999999',
  '1e400',
  '0x7fffffff',
  '010',
  '0.0.0.0/0',
  '::/0',
  '0.0.0.0',
  '::',
  '256.1.1.1',
  '1.2.3.4/33',
  '10.0.0.0/-1',
  '::ffff:1.2.3.4',
  'fe80::1%eth0',
  '[::1]:22',
  '*',
  '*:*',
  'all',
  '',
  '""',
  "''",
  'yes',
  'no',
  'off',
  'on',
  'none',
  'true',
  'null',
  '~',
  '$foo',
  '${foo}',
  '%{foo}',
  '@foo',
  '!',
  '/',
  '../../etc/passwd',
  '*/*/*',
  '**/',
];

export type Mutator = (text: string, r: Random, others: readonly string[]) => string;

const lines = (text: string) => text.split('\n');
const at = (text: string, r: Random) => r.int(text.length + 1);
const insert = (text: string, offset: number, piece: string) => text.slice(0, offset) + piece + text.slice(offset);

/** A random token of the text (a run of non-space characters), or 'x'. */
function someToken(text: string, r: Random): string {
  const start = at(text, r);
  const match = /\S+/.exec(text.slice(start, start + 200));
  return match?.[0].slice(0, 80) ?? 'x';
}

export const MUTATORS: Record<string, Mutator> = {
  truncate: (text, r) => text.slice(0, at(text, r)),
  deleteLines: (text, r) => {
    const all = lines(text);
    const from = r.int(all.length);
    all.splice(from, 1 + r.int(Math.min(8, all.length)));
    return all.join('\n');
  },
  duplicateLines: (text, r) => {
    const all = lines(text);
    const from = r.int(all.length);
    const block = all.slice(from, from + 1 + r.int(6));
    const times = r.size(1, 200);
    all.splice(from, 0, ...Array.from({ length: times }, () => block).flat());
    return all.join('\n');
  },
  swapLines: (text, r) => {
    const all = lines(text);
    const a = r.int(all.length);
    const b = r.int(all.length);
    [all[a], all[b]] = [all[b]!, all[a]!];
    return all.join('\n');
  },
  spliceLines: (text, r, others) => {
    const other = lines(r.pick(others));
    const all = lines(text);
    const from = r.int(other.length);
    all.splice(r.int(all.length + 1), 0, ...other.slice(from, from + 1 + r.int(10)));
    return all.join('\n');
  },
  spliceHalves: (text, r, others) => {
    const other = r.pick(others);
    return text.slice(0, at(text, r)) + other.slice(r.int(other.length + 1));
  },
  awkwardChar: (text, r) => {
    const piece = r.pick(AWKWARD);
    const offset = at(text, r);
    return r.chance(0.5) ? insert(text, offset, piece) : text.slice(0, offset) + piece + text.slice(offset + 1);
  },
  awkwardChars: (text, r) => {
    let out = text;
    for (let i = r.size(2, 40); i > 0; i--) out = insert(out, at(out, r), r.pick(AWKWARD));
    return out;
  },
  unicodeSpaces: (text, r) => {
    // Text pasted from a web page: the spaces of some lines become non-breaking (or other) spaces.
    const space = r.pick(UNICODE_SPACES);
    const all = lines(text);
    const every = r.chance(0.3);
    return all.map((line) => (every || r.chance(0.3) ? line.replace(/ /g, space) : line)).join('\n');
  },
  lineEndings: (text, r) => {
    const kind = r.int(4);
    if (kind === 0) return text.replace(/\r?\n/g, '\r\n');
    if (kind === 1) return text.replace(/\r?\n/g, '\r');
    if (kind === 2) return text.replace(/\r?\n/g, () => r.pick(['\n', '\r\n', '\r', '\r\r\n', '\n\r']));
    return text.replace(/\r?\n/g, '\r\n') + (r.chance(0.5) ? '\r' : '');
  },
  bom: (text, r) => r.pick(['\ufeff', '\ufeff\ufeff', '\u00ef\u00bb\u00bf', '\ufffe', '\ufeff\r\n']) + text,
  nul: (text, r) => {
    const offset = at(text, r);
    return insert(text, offset, '\u0000'.repeat(r.size(1, 16)));
  },
  longToken: (text, r) => {
    const unit = r.chance(0.5) ? r.pick(LONG_UNITS) : someToken(text, r);
    const piece = unit.repeat(Math.max(1, Math.floor(r.size(100, 200_000) / unit.length)));
    const offset = at(text, r);
    return r.chance(0.7) ? insert(text, offset, piece) : text.slice(0, offset) + piece + text.slice(offset + 1);
  },
  longLine: (text, r) => {
    // One line made of a real token, repeated: a huge list on one line (ports, networks, names).
    const token = someToken(text, r);
    const separator = r.pick([' ', ', ', ',', '\t', ' \\\n ', ';', ' | ']);
    const count = r.size(10, 50_000);
    const all = lines(text);
    const line = all[r.int(all.length)] ?? '';
    all.splice(r.int(all.length + 1), 0, line + separator + Array.from({ length: count }, () => token).join(separator));
    return all.join('\n');
  },
  unbalanced: (text, r) => {
    const piece = r.pick(['{', '}', '[', ']', '(', ')', '"', "'", '`', '<', '>', '${', '{{', '}}', '<%', '%>', '/*', '*/', '"\'', '[[', '((']);
    let out = text;
    for (let i = r.size(1, 300); i > 0; i--) out = insert(out, at(out, r), piece);
    return out;
  },
  repeatBracket: (text, r) => {
    const piece = r.pick(['{', '[', '(', '<', '"', '{\n', '[\n', '- ', '  ', 'a: ', '- [', '{a: ', '<x>', '</x>']);
    return insert(text, at(text, r), piece.repeat(r.size(10, 20_000)));
  },
  oddValue: (text, r) => {
    // Replace a token by a boundary value (numbers, addresses, wildcards, variables).
    const start = at(text, r);
    const match = /[^\s=:;,"'{}[\]()]+/.exec(text.slice(start, start + 200));
    if (!match) return text + r.pick(ODD_VALUES);
    const from = start + match.index;
    return text.slice(0, from) + r.pick(ODD_VALUES) + text.slice(from + match[0].length);
  },
  byteFlip: (text, r) => {
    let out = text;
    for (let i = r.size(1, 30); i > 0; i--) {
      const offset = r.int(Math.max(1, out.length));
      const code = r.chance(0.8) ? r.int(256) : r.int(0x10000);
      out = out.slice(0, offset) + String.fromCharCode(code) + out.slice(offset + 1);
    }
    return out;
  },
  deleteChars: (text, r) => {
    const from = at(text, r);
    return text.slice(0, from) + text.slice(from + r.size(1, 64));
  },
  indent: (text, r) => {
    const all = lines(text);
    for (let i = r.size(1, 20); i > 0; i--) {
      const n = r.int(all.length);
      const line = all[n] ?? '';
      all[n] = r.chance(0.5) ? r.pick(['  ', '\t', ' ', '    ', '- ', '\u00a0']) + line : line.replace(/^\s{1,2}/, '');
    }
    return all.join('\n');
  },
  comment: (text, r) => {
    const all = lines(text);
    const n = r.int(all.length);
    const line = all[n] ?? '';
    all[n] = /^\s*[#;]/.test(line) ? line.replace(/^(\s*)[#;]+\s?/, '$1') : r.pick(['#', '# ', ';', '//', '--', '<!--']) + line;
    return all.join('\n');
  },
  caseFlip: (text, r) => {
    const all = lines(text);
    const n = r.int(all.length);
    all[n] = r.chance(0.5) ? (all[n] ?? '').toUpperCase() : (all[n] ?? '').toLowerCase();
    return all.join('\n');
  },
  repeatBlock: (text, r) => {
    // The file (or a stretch of it) many times: large but still realistic files.
    const a = at(text, r);
    const b = at(text, r);
    const block = text.slice(Math.min(a, b), Math.max(a, b)) || text;
    const times = Math.max(1, Math.floor(r.size(1000, 400_000) / Math.max(1, block.length)));
    return text + '\n' + Array.from({ length: Math.min(times, 20_000) }, () => block).join('\n');
  },
  empty: (_text, r) => r.pick(['', '\n', '\r\n', '\r', ' ', '\ufeff', '\u0000', '#', '\t\n\t', '{', '}', '---', '...', '- ', ':']),
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** How often each mutation is chosen (cheap small ones often, huge ones rarely). */
const WEIGHTS: Record<string, number> = {
  truncate: 8,
  deleteLines: 6,
  duplicateLines: 4,
  swapLines: 3,
  spliceLines: 6,
  spliceHalves: 4,
  awkwardChar: 10,
  awkwardChars: 6,
  unicodeSpaces: 5,
  lineEndings: 5,
  bom: 2,
  nul: 2,
  longToken: 2,
  longLine: 1,
  unbalanced: 4,
  repeatBracket: 1,
  oddValue: 10,
  byteFlip: 5,
  deleteChars: 5,
  indent: 4,
  comment: 4,
  caseFlip: 2,
  repeatBlock: 0.3,
  empty: 0.5,
};

const TOTAL_WEIGHT = MUTATOR_NAMES.reduce((sum, name) => sum + (WEIGHTS[name] ?? 1), 0);

export function pickMutator(r: Random): string {
  let roll = r.next() * TOTAL_WEIGHT;
  for (const name of MUTATOR_NAMES) {
    roll -= WEIGHTS[name] ?? 1;
    if (roll < 0) return name;
  }
  return MUTATOR_NAMES[0]!;
}

/** Applies 1-4 mutations; returns the text and the names applied. Texts are kept under `maxLength`. */
export function mutate(text: string, r: Random, others: readonly string[], maxLength = 4 * 1024 * 1024): { text: string; steps: string[] } {
  const steps: string[] = [];
  let out = text;
  for (let i = 1 + r.int(r.chance(0.3) ? 4 : 2); i > 0; i--) {
    const name = pickMutator(r);
    let next: string;
    try {
      next = MUTATORS[name]!(out, r, others.length ? others : [text]);
    } catch (error) {
      // A step whose text JavaScript cannot hold (200 copies of a block holding a 4 MB line: "Invalid string
      // length") is skipped like one past maxLength; it once ended a whole fuzz run (seed 11, inputs 50,000+).
      if (error instanceof RangeError) continue;
      throw error;
    }
    if (next.length > maxLength) continue;
    out = next;
    steps.push(name);
  }
  return { text: out, steps };
}
