// A strict JSON (RFC 8259) reader that keeps where every key and value is, so that a mistake in the
// project file can be reported on its exact line, in the CLI and as an editor diagnostic.
import { type TextRef, text } from './check';

interface At {
  start: number;
  end: number;
}

export type JsonNode =
  | (At & { kind: 'object'; entries: JsonEntry[] })
  | (At & { kind: 'array'; items: JsonNode[] })
  | (At & { kind: 'string'; value: string })
  | (At & { kind: 'number'; value: number })
  | (At & { kind: 'boolean'; value: boolean })
  | (At & { kind: 'null'; value: null });

export interface JsonEntry {
  key: string;
  keySpan: At;
  value: JsonNode;
}

export interface JsonSyntaxError {
  offset: number;
  message: TextRef;
}

class Failure extends Error {
  constructor(readonly problem: JsonSyntaxError) {
    super('json');
  }
}

const MAX_DEPTH = 200;

/** The value tree of `source`, or where and why it is not JSON. Never throws. */
export function parseJsonTree(source: string): { tree: JsonNode } | { error: JsonSyntaxError } {
  let at = 0;
  const fail = (offset: number, message: TextRef): never => {
    throw new Failure({ offset, message });
  };
  const unexpected = (): never =>
    at >= source.length ? fail(at, text('json.unexpected-end')) : fail(at, text('json.unexpected-character', { character: JSON.stringify(source[at]) }));
  const skipSpace = () => {
    while (at < source.length && ' \t\r\n'.includes(source[at]!)) at++;
  };
  const expect = (character: string) => {
    skipSpace();
    if (source[at] !== character) unexpected();
    at++;
  };
  const readString = (): JsonNode & { kind: 'string' } => {
    const start = at;
    at++; // the opening quote
    let value = '';
    for (;;) {
      if (at >= source.length) fail(start, text('json.unterminated-string'));
      const c = source[at]!;
      if (c === '"') break;
      if (c < ' ') fail(at, text('json.control-character'));
      if (c !== '\\') {
        value += c;
        at++;
        continue;
      }
      const escape = source[at + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (escape !== undefined && simple[escape] !== undefined) {
        value += simple[escape];
        at += 2;
      } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(at + 2, at + 6))) {
        value += String.fromCharCode(parseInt(source.slice(at + 2, at + 6), 16));
        at += 6;
      } else fail(at, text('json.bad-escape'));
    }
    at++;
    return { kind: 'string', value, start, end: at };
  };
  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(at, text('json.too-deep'));
    skipSpace();
    const start = at;
    const c = source[at];
    if (c === '"') return readString();
    if (c === '{') {
      at++;
      const entries: JsonEntry[] = [];
      skipSpace();
      if (source[at] === '}') return { kind: 'object', entries, start, end: ++at };
      for (;;) {
        skipSpace();
        if (source[at] !== '"') unexpected();
        const key = readString();
        expect(':');
        entries.push({ key: key.value, keySpan: { start: key.start, end: key.end }, value: readValue(depth + 1) });
        skipSpace();
        if (source[at] === ',') {
          at++;
          continue;
        }
        if (source[at] === '}') return { kind: 'object', entries, start, end: ++at };
        unexpected();
      }
    }
    if (c === '[') {
      at++;
      const items: JsonNode[] = [];
      skipSpace();
      if (source[at] === ']') return { kind: 'array', items, start, end: ++at };
      for (;;) {
        items.push(readValue(depth + 1));
        skipSpace();
        if (source[at] === ',') {
          at++;
          continue;
        }
        if (source[at] === ']') return { kind: 'array', items, start, end: ++at };
        unexpected();
      }
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (source.startsWith(word, at)) {
        at += word.length;
        return value === null ? { kind: 'null', value, start, end: at } : { kind: 'boolean', value, start, end: at };
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(source.slice(at, at + 400));
    if (number) {
      at += number[0].length;
      return { kind: 'number', value: Number(number[0]), start, end: at };
    }
    return unexpected();
  };
  try {
    if (source.charCodeAt(0) === 0xfeff) at = 1;
    const tree = readValue(0);
    skipSpace();
    if (at < source.length) fail(at, text('json.trailing-text'));
    return { tree };
  } catch (error) {
    if (error instanceof Failure) return { error: error.problem };
    throw error;
  }
}
