// A report as JSON text in pieces: the text JSON.stringify(value, null, 2) gives, character for character, but
// produced part by part, so that a report of 10,000 files is written without ever holding its whole text (20 MB
// of JSON, two bytes a character once one Japanese message is in it, and its UTF-8 copy on the way out).
// Only containers that hold a long list somewhere below them are walked here (a report, its files, a SARIF run,
// its tool); anything else (a finding, a SARIF result or rule) is one JSON.stringify call, which is several
// times faster than walking it piece by piece.

/** A list longer than this is written an item at a time. */
const LONG_LIST = 16;
/** Levels below a container searched for a long list. */
const LOOK_DOWN = 3;
/** Levels walked at most (reports are shallow; this only bounds the generators' nesting). */
const MAX_DEPTH = 8;

const pad = (depth: number) => '  '.repeat(depth);

/** A plain array or object that JSON.stringify would walk as it is (no toJSON of its own). */
function walkable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** True when a long list is within LOOK_DOWN levels of `value` (walking it then pays). */
function holdsLongList(value: Record<string, unknown> | unknown[], levels: number): boolean {
  if (Array.isArray(value)) {
    if (value.length > LONG_LIST) return true;
    return levels > 0 && value.some((item) => walkable(item) && holdsLongList(item, levels - 1));
  }
  if (levels === 0) return false;
  for (const key in value) {
    const item = value[key];
    if (walkable(item) && holdsLongList(item, levels - 1)) return true;
  }
  return false;
}

/** Whether `value` at `depth` is walked here rather than written by one JSON.stringify call. */
function walked(value: unknown, depth: number): value is Record<string, unknown> | unknown[] {
  return depth < MAX_DEPTH && walkable(value) && holdsLongList(value, LOOK_DOWN);
}

/** One value at `depth`, as JSON.stringify(value, null, 2) would write it there; undefined where it writes nothing. */
function whole(value: unknown, depth: number): string | undefined {
  if (depth === 0) return JSON.stringify(value, null, 2) as string | undefined;
  // A plain value or container is written inside `depth` one-item lists, so that JSON.stringify itself indents
  // it for its place (three times faster than indenting its text afterwards); the lists' own text is cut off.
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || walkable(value)) {
    let wrapped: unknown = value;
    for (let level = 0; level < depth; level++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, 2);
    // Before the value: `[` and a line break with its indent, per level; after it, the same closing per level.
    const before = depth * 2 + depth * (depth + 1);
    const after = depth * 2 + depth * (depth - 1);
    return text.slice(before, text.length - after);
  }
  // Anything else (toJSON, a Date, undefined, a function) as JSON.stringify writes it alone, indented by hand:
  // a string inside JSON text never holds a raw line break, so every line break is layout.
  const text = JSON.stringify(value, null, 2) as string | undefined;
  return text === undefined ? text : text.split('\n').join(`\n${pad(depth)}`);
}

/** The pieces of JSON.stringify(value, null, 2); joined, they are that text (and `undefined` gives no piece). */
export function* jsonPieces(value: unknown): Generator<string> {
  if (walked(value, 0)) yield* walk(value, 0);
  else {
    const text = whole(value, 0);
    if (text !== undefined) yield text;
  }
}

/** The pieces of a container at `depth` that `walked` chose; each member is walked or written whole. */
function* walk(value: Record<string, unknown> | unknown[], depth: number): Generator<string> {
  const inner = `\n${pad(depth + 1)}`;
  if (Array.isArray(value)) {
    // `walked` chose it for a long list below it: it is not empty.
    yield '[';
    for (let index = 0; index < value.length; index++) {
      yield index === 0 ? inner : `,${inner}`;
      const item = value[index];
      // In an array, what JSON.stringify writes nothing for (undefined, a function) is written null.
      if (walked(item, depth + 1)) yield* walk(item, depth + 1);
      else yield whole(item, depth + 1) ?? 'null';
    }
    yield `\n${pad(depth)}]`;
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const opening = `${first ? '{' : ','}${inner}${JSON.stringify(key)}: `;
    if (walked(item, depth + 1)) {
      first = false;
      yield opening;
      yield* walk(item, depth + 1);
      continue;
    }
    // In an object, a member JSON.stringify writes nothing for (undefined, a function, toJSON giving undefined) is left out.
    const text = whole(item, depth + 1);
    if (text === undefined) continue;
    first = false;
    yield opening + text;
  }
  // `walked` chose it for a long list below it: it has members.
  yield `\n${pad(depth)}}`;
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
