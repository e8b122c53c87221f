// A unified diff (the `diff -u` / `git diff` shape) between two texts, for --fix-dry-run. Myers' O(ND)
// algorithm over lines: fixes change a few lines, so D is small and the work stays near linear.

/** Past this many differing lines the diff is given as one hunk replacing everything that differs. */
const MAX_EDIT_DISTANCE = 1000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines without their line break (a CRLF file's lines do not show the \r). */
function splitLines(content: string): string[] {
  if (content === '') return [];
  const lines = content.split(/\r\n|\n|\r/);
  // A final line without a line break differs from the same text with one: it keeps a '\n' (no line has one).
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n';
  return lines;
}

function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, [...trace, next], d, offset);
    }
    v = next;
  }
  return undefined;
}

function backtrack(a: string[], b: string[], trace: Int32Array[], last: number, offset: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = last; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x]! });
      y--;
    }
    if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
    else ops.push({ kind: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x]! });
    y--;
  }
  return ops.reverse();
}

function crude(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return [
    ...a.slice(0, head).map((line) => ({ kind: ' ' as const, line })),
    ...a.slice(head, a.length - tail).map((line) => ({ kind: '-' as const, line })),
    ...b.slice(head, b.length - tail).map((line) => ({ kind: '+' as const, line })),
    ...a.slice(a.length - tail).map((line) => ({ kind: ' ' as const, line })),
  ];
}

/** `--- a/<name>` / `+++ b/<name>` and its hunks; '' when the texts have the same lines. */
export function unifiedDiff(name: string, before: string, after: string): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = myers(a, b) ?? crude(a, b);
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return '';
  // git's a/ b/ prefixes for relative paths (`patch -p1`, `git apply`); an absolute path stays as it is.
  const absolute = name.startsWith('/');
  const out = [`--- ${absolute ? '' : 'a/'}${name}`, `+++ ${absolute ? '' : 'b/'}${name}`];
  let at = 0;
  while (at < changed.length) {
    let end = at;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * CONTEXT + 1) end++;
    const from = Math.max(0, changed[at]! - CONTEXT);
    const to = Math.min(ops.length, changed[end]! + CONTEXT + 1);
    let oldLine = 1;
    let newLine = 1;
    for (let i = 0; i < from; i++) {
      if (ops[i]!.kind !== '+') oldLine++;
      if (ops[i]!.kind !== '-') newLine++;
    }
    const hunk = ops.slice(from, to);
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldCount ? oldLine : oldLine - 1},${oldCount} +${newCount ? newLine : newLine - 1},${newCount} @@`);
    for (const op of hunk) {
      // A last line without a line break carries a '\n' (see splitLines): shown as diff and patch expect.
      const missingBreak = op.line.endsWith('\n');
      out.push(`${op.kind}${missingBreak ? op.line.slice(0, -1) : op.line}`);
      if (missingBreak) out.push('\\ No newline at end of file');
    }
    at = end + 1;
  }
  return out.join('\n') + '\n';
}
