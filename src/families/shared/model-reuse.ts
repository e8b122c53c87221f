// Models built from a YAML piece that the next lint reuses (yaml-tree.ts keeps a piece's nodes while its text is
// unchanged, and only moves their ranges): the part of a model read from such a piece is kept with it and given
// to the next lint as is, or as a copy with its offsets moved when the piece now starts elsewhere. The kept
// objects are never changed, so a lint still holding them (an earlier lint waiting for a file read) is not
// disturbed. test/unit/yaml-relint.test.ts compares re-lints with cold lints.
import type { Document, Node } from './yaml-tree';
import { expansionState, spendExpansion } from './yaml-tree';

interface Kept<T> {
  /** Where the piece's node started when the model was built. */
  at: number;
  file: string;
  /** What building it took from the document's expansion budget (spent again on reuse, so the budget ends the same). */
  spent: number;
  /** Whatever else the model depends on (an environment, ...), as text. */
  inputs: string;
  model: T;
}

/**
 * A model part kept per YAML node. `offsets` names number fields that are offsets into the file besides
 * spans (`{ file, start, end }`), which are found by their shape; every other number (columns, ports) is kept.
 */
export class NodeModels<T> {
  private readonly kept = new WeakMap<object, Kept<T>>();

  constructor(private readonly offsets: readonly string[] = []) {}

  /**
   * The model of `node` (whose first range offset says where it is), built by `build` or reused from an earlier
   * lint of the same file with the same `inputs`. `reusable`, asked after a build: false when the model must
   * not be kept (it read nodes outside `node`, through an alias).
   */
  get(node: Node, document: Document, file: string, inputs: string, build: () => T, reusable?: () => boolean): T {
    const at = node.range?.[0];
    const known = this.kept.get(node);
    if (at !== undefined && known && known.file === file && known.inputs === inputs) {
      if (known.spent) spendExpansion(document, known.spent, node);
      return known.at === at ? known.model : shiftedCopy(known.model, at - known.at, file, this.offsets);
    }
    const before = expansionState(document);
    const model = build();
    const after = expansionState(document);
    // A build that ran out of the expansion budget reported it: built again next time, so that it reports again.
    if (at !== undefined && before && after && !after.reported && (!reusable || reusable()))
      this.kept.set(node, { at, file, spent: before.left - after.left, inputs, model });
    else this.kept.delete(node);
    return model;
  }
}

/**
 * A copy of a model with every offset into `file` moved by `delta`: spans (objects with `file`, `start` and
 * `end`) and the number fields named in `offsets`. Arrays, Maps and plain objects are copied; anything else is
 * shared as it is (models hold no other objects with offsets).
 */
export function shiftedCopy<T>(value: T, delta: number, file: string, offsets: readonly string[]): T {
  const copy = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null) return item;
    if (Array.isArray(item)) return item.map(copy);
    if (item instanceof Map) {
      const out = new Map();
      for (const [key, entry] of item) out.set(key, copy(entry));
      return out;
    }
    if (Object.getPrototypeOf(item) !== Object.prototype) return item;
    const source = item as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    // for-in: a plain object's own keys in order (its prototype has no enumerable ones), without a key array.
    for (const key in source) {
      const entry = source[key];
      out[key] = typeof entry === 'object' && entry !== null ? copy(entry) : entry;
    }
    if (source.file === file && typeof source.start === 'number' && typeof source.end === 'number') {
      out.start = source.start + delta;
      out.end = source.end + delta;
    }
    for (const key of offsets) if (typeof source[key] === 'number') out[key] = (source[key] as number) + delta;
    return out;
  };
  return copy(value) as T;
}
