// Wildcard matching without regular expressions built from user text: a pattern is compiled into a small
// automaton and every path is read once, with the set of positions the pattern can be at (Thompson's
// construction). The work is at most (path length x pattern length) whatever the pattern: repeated `**/`
// or `*` cannot make it backtrack.

/** Something that says whether a path matches. */
export interface GlobMatcher {
  test(path: string): boolean;
}

type Node =
  | { kind: 'lit'; char: string; next: number }
  | { kind: 'one'; next: number }
  | { kind: 'class'; negated: boolean; ranges: Array<[number, number]>; next: number }
  /** `*`: any run of characters, '/' excepted unless `crossing`. */
  | { kind: 'star'; crossing: boolean; next: number }
  /** `**` followed by '/': nothing, or any run of characters that ends with '/' (the `inner` node holds the run). */
  | { kind: 'dirs'; inner: number; next: number }
  | { kind: 'dirs-inner'; next: number }
  | { kind: 'split'; targets: number[] }
  | { kind: 'accept' };

/** The compiled automaton; `pathname`: wildcards and classes never match '/' (fnmatch's FNM_PATHNAME). */
class Automaton implements GlobMatcher {
  private readonly marks: Int32Array;
  private generation = 0;

  constructor(
    private readonly nodes: Node[],
    private readonly pathname: boolean,
    /** Also start over after every '/': the pattern may match any tail of the path that starts a folder name. */
    private readonly anyFolder: boolean,
  ) {
    this.marks = new Int32Array(nodes.length);
  }

  test(path: string): boolean {
    let current: number[] = [];
    let accepted = false;
    const add = (list: number[], id: number): void => {
      // An explicit stack: epsilon chains are as long as the pattern, never a recursion.
      const pending = [id];
      while (pending.length) {
        const at = pending.pop()!;
        if (this.marks[at] === this.generation) continue;
        this.marks[at] = this.generation;
        const node = this.nodes[at]!;
        list.push(at);
        if (node.kind === 'star' || node.kind === 'dirs') pending.push(node.next);
        else if (node.kind === 'split') for (const target of node.targets) pending.push(target);
      }
    };
    this.generation++;
    add(current, 0);
    const lastSlash = this.anyFolder ? path.lastIndexOf('/') : -1;
    for (let index = 0; index < path.length; index++) {
      const char = path[index]!;
      const next: number[] = [];
      this.generation++;
      for (const id of current) {
        const node = this.nodes[id]!;
        switch (node.kind) {
          case 'lit':
            if (node.char === char) add(next, node.next);
            break;
          case 'one':
            if (!(this.pathname && char === '/')) add(next, node.next);
            break;
          case 'class':
            if (!(this.pathname && char === '/') && inClass(node, char)) add(next, node.next);
            break;
          case 'star':
            if (node.crossing || char !== '/') add(next, id);
            break;
          case 'dirs':
            add(next, node.inner);
            if (char === '/') add(next, node.next);
            break;
          case 'dirs-inner':
            add(next, id);
            if (char === '/') add(next, node.next);
            break;
          default:
            break;
        }
      }
      if (this.anyFolder && char === '/') add(next, 0);
      current = next;
      // Nothing alive and no new start to come: no match (a folder boundary may start a new attempt).
      if (!current.length && !(this.anyFolder && index < lastSlash)) return false;
    }
    for (const id of current) if (this.nodes[id]!.kind === 'accept') accepted = true;
    return accepted;
  }
}

function inClass(node: { negated: boolean; ranges: Array<[number, number]> }, char: string): boolean {
  const code = char.charCodeAt(0);
  let found = false;
  for (const [low, high] of node.ranges)
    if (code >= low && code <= high) {
      found = true;
      break;
    }
  return found !== node.negated;
}

/**
 * `[...]` at `open`: its node and the index of its closing `]`, or undefined when it is not closed (then `[` is an
 * ordinary character, as fnmatch reads it). `!` or `^` first negates; `]` first is a member; `a-z` is a range.
 */
function readClass(pattern: string, open: number, escapes: boolean): { negated: boolean; ranges: Array<[number, number]>; close: number } | undefined {
  let index = open + 1;
  let negated = false;
  if (pattern[index] === '!' || pattern[index] === '^') {
    negated = true;
    index++;
  }
  const ranges: Array<[number, number]> = [];
  let first = true;
  while (index < pattern.length) {
    let char = pattern[index]!;
    if (char === ']' && !first) return { negated, ranges, close: index };
    first = false;
    if (escapes && char === '\\' && index + 1 < pattern.length) char = pattern[++index]!;
    let high = char;
    if (pattern[index + 1] === '-' && index + 2 < pattern.length && pattern[index + 2] !== ']') {
      high = pattern[index + 2]!;
      if (escapes && high === '\\' && index + 3 < pattern.length) {
        high = pattern[index + 3]!;
        index++;
      }
      index += 2;
    }
    ranges.push([char.charCodeAt(0), high.charCodeAt(0)]);
    index++;
  }
  return undefined;
}

/**
 * A glob as editors write them (VS Code's files.associations, this product's fileAssociations): `**` crosses
 * folders (`**` followed by `/` also matches no folder at all), `*` and `?` stay inside one, `{a,b}` alternates
 * literal texts, everything else (`[` included) is literal; `\` is a folder separator. The pattern matches a
 * path when it matches the path's end starting at a folder boundary (so `nginx.conf` matches any file of that
 * name, `sites/*.conf` any such file below a `sites` folder).
 */
export function compileGlob(glob: string): GlobMatcher {
  const pattern = glob.replace(/\\/g, '/');
  const nodes: Node[] = [];
  const patches: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const here = nodes.length;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // Consecutive wildcards of one kind (`**/**/`, `****`) say no more than one of them.
        const previous = nodes[here - 1];
        if (pattern[i + 2] === '/') {
          if (previous?.kind !== 'dirs-inner') nodes.push({ kind: 'dirs', inner: here + 1, next: here + 2 }, { kind: 'dirs-inner', next: here + 2 });
          i += 2;
        } else {
          if (!(previous?.kind === 'star' && previous.crossing)) nodes.push({ kind: 'star', crossing: true, next: here + 1 });
          i += 1;
        }
        continue;
      }
      const previous = nodes[here - 1];
      if (!(previous?.kind === 'star' && !previous.crossing)) nodes.push({ kind: 'star', crossing: false, next: here + 1 });
    } else if (c === '?') nodes.push({ kind: 'one', next: here + 1 });
    else if (c === '{' && pattern.indexOf('}', i) >= 0) {
      const close = pattern.indexOf('}', i);
      const split: Node = { kind: 'split', targets: [] };
      nodes.push(split);
      for (const alternative of pattern.slice(i + 1, close).split(',')) {
        if (!alternative) {
          split.targets.push(-1);
          patches.push(here);
          continue;
        }
        split.targets.push(nodes.length);
        for (const char of alternative) nodes.push({ kind: 'lit', char, next: nodes.length + 1 });
        patches.push(nodes.length - 1);
      }
      const join = nodes.length;
      for (const at of patches.splice(0)) {
        const node = nodes[at]!;
        if (node.kind === 'split') node.targets = node.targets.map((target) => (target < 0 ? join : target));
        else if (node.kind === 'lit') node.next = join;
      }
      i = close;
    } else nodes.push({ kind: 'lit', char: c, next: here + 1 });
  }
  nodes.push({ kind: 'accept' });
  return new Automaton(nodes, true, true);
}

export interface FnmatchOptions {
  /** FNM_PATHNAME: `*`, `?` and `[...]` never match '/'. */
  pathname?: boolean;
  /** FNM_NOESCAPE: `\` is an ordinary character. */
  noEscape?: boolean;
}

/** fnmatch(3): `*`, `?`, `[...]` (`!`/`^` negates, an unclosed `[` is literal), `\` escapes; the whole text must match. */
export function compileFnmatch(pattern: string, options: FnmatchOptions = {}): GlobMatcher {
  const escapes = !options.noEscape;
  const nodes: Node[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const here = nodes.length;
    if (c === '*') {
      // Consecutive stars are one star.
      if (nodes[here - 1]?.kind !== 'star') nodes.push({ kind: 'star', crossing: !options.pathname, next: here + 1 });
    } else if (c === '?') nodes.push({ kind: 'one', next: here + 1 });
    else if (c === '[') {
      const found = readClass(pattern, i, escapes);
      if (found) {
        nodes.push({ kind: 'class', negated: found.negated, ranges: found.ranges, next: here + 1 });
        i = found.close;
      } else nodes.push({ kind: 'lit', char: c, next: here + 1 });
    } else if (escapes && c === '\\' && i + 1 < pattern.length) nodes.push({ kind: 'lit', char: pattern[++i]!, next: here + 1 });
    else nodes.push({ kind: 'lit', char: c, next: here + 1 });
  }
  nodes.push({ kind: 'accept' });
  return new Automaton(nodes, options.pathname ?? false, false);
}

/** Whether `text` has a wildcard character (`*`, `?` or `[`). */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?') || text.includes('[');
}
