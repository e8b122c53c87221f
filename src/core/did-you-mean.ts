/** Edit distance (insertions, deletions, substitutions and swaps of neighbours), for "did you mean" hints. */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const cost: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  for (let row = 1; row < rows; row++)
    for (let column = 1; column < columns; column++) {
      const same = a[row - 1] === b[column - 1] ? 0 : 1;
      let best = Math.min(cost[row - 1]![column]! + 1, cost[row]![column - 1]! + 1, cost[row - 1]![column - 1]! + same);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) best = Math.min(best, cost[row - 2]![column - 2]! + 1);
      cost[row]![column] = best;
    }
  return cost[a.length]![b.length]!;
}

/**
 * The known name closest to `wanted`, when it is close enough to be a typing mistake: a third of the
 * longer name at most (so `postfix/mynetwork-public-range` finds its rule but `banana` finds nothing).
 * The part after a '/' is compared too, so a rule named without or with the wrong family is found.
 */
export function closestName(wanted: string, known: Iterable<string>): string | undefined {
  const lower = wanted.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const name of known) {
    const candidate = name.toLowerCase();
    const forms = [candidate];
    if (candidate.includes('/') && !lower.includes('/')) forms.push(candidate.slice(candidate.indexOf('/') + 1));
    for (const form of forms) {
      const limit = Math.max(1, Math.floor(Math.max(lower.length, form.length) / 3));
      // The distance is at least the difference of the lengths: a name that cannot come close enough is not
      // compared (the comparison costs the product of the lengths: a 33,000-character id in a suppression
      // comment against every rule hung a lint, fuzz seed 11 #20818).
      const gap = Math.abs(lower.length - form.length);
      if (gap > limit || (best && gap >= best.score)) continue;
      const score = distance(lower, form);
      if (score <= limit && (!best || score < best.score)) best = { name, score };
    }
  }
  return best?.name;
}
