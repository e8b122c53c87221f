// A report as JSON text in pieces: the text JSON.stringify(value, null, 2) gives, character for character, but
// produced part by part, so that a report of 10,000 files is written without ever holding its whole text (20 MB
// of JSON, two bytes a character once one Japanese message is in it, and its UTF-8 copy on the way out).
// Containers down to DESCEND levels are walked here; anything deeper is one JSON.stringify call.

/** Levels of arrays and objects walked here (down to a SARIF rule inside tool.driver.rules); below them a value is one piece. */
const DESCEND = 6;

const pad = (depth: number) => '  '.repeat(depth);

/** A plain array or object that JSON.stringify would walk as it is (no toJSON of its own). */
function walkable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** One value at `depth`, as JSON.stringify(value, null, 2) would write it there; undefined where it writes nothing. */
function whole(value: unknown, depth: number): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  // A string inside JSON text never holds a raw line break: every line break is layout, indented by the depth.
  return text === undefined || depth === 0 ? text : text.split('\n').join(`\n${pad(depth)}`);
}

/** The pieces of JSON.stringify(value, null, 2); joined, they are that text (and `undefined` gives no piece). */
export function* jsonPieces(value: unknown, depth = 0): Generator<string> {
  if (depth >= DESCEND || !walkable(value)) {
    const text = whole(value, depth);
    if (text !== undefined) yield text;
    return;
  }
  const inner = `\n${pad(depth + 1)}`;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let index = 0; index < value.length; index++) {
      yield index === 0 ? inner : `,${inner}`;
      const item = value[index];
      // In an array, what JSON.stringify cannot write (undefined, a function) is written null.
      let wrote = false;
      for (const piece of jsonPieces(item, depth + 1)) {
        wrote = true;
        yield piece;
      }
      if (!wrote) yield 'null';
    }
    yield `\n${pad(depth)}]`;
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const opening = `${first ? '{' : ','}${inner}${JSON.stringify(key)}: `;
    if (depth + 1 < DESCEND && walkable(item)) {
      first = false;
      yield opening;
      yield* jsonPieces(item, depth + 1);
      continue;
    }
    // In an object, a member JSON.stringify writes nothing for (undefined, a function, toJSON giving undefined) is left out.
    const text = whole(item, depth + 1);
    if (text === undefined) continue;
    first = false;
    yield opening + text;
  }
  yield first ? '{}' : `\n${pad(depth)}}`;
}

/** Pieces joined into runs of about `size` characters, so that a sink gets few large writes. */
export function* batched(pieces: Iterable<string>, size = 1 << 16): Generator<string> {
  let run: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    run.push(piece);
    length += piece.length;
    if (length >= size) {
      yield run.join('');
      run = [];
      length = 0;
    }
  }
  if (length) yield run.join('');
}
