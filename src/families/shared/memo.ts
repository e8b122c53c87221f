// Values computed from text and remembered between lints (every keystroke asks again), in tables of bounded
// size: a full table starts again.

/** The value of `key` in `memo`, computed (and remembered) when absent; `memo` is emptied first when it holds `limit` values. */
export function memoValue<T>(memo: Map<string, T>, key: string, compute: () => T, limit: number): T {
  // One lookup for a remembered value (undefined may be remembered too: then a second one tells).
  const known = memo.get(key);
  if (known !== undefined || memo.has(key)) return known as T;
  if (memo.size >= limit) memo.clear();
  const value = compute();
  memo.set(key, value);
  return value;
}
