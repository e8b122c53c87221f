// judgeRangeText for allow-list entries, remembered: the same entries recur in many blocks and on every keystroke,
// and the judgement is plain data that depends only on the text and the trusted networks.
import { type AddressSet, type RangeJudgement, judgeRangeText } from '../../../../net';

const MAX_REMEMBERED = 10_000;
/** Judgements by trusted networks (as their intervals written out: a new settings object per lint is the same set). */
const judgements = new Map<string, Map<string, RangeJudgement | undefined>>();
const keys = new WeakMap<AddressSet, string>();

function keyOf(trusted: AddressSet): string {
  let key = keys.get(trusted);
  if (key === undefined) keys.set(trusted, (key = trusted.intervals.map((range) => `${range.start}-${range.end}`).join(',')));
  return key;
}

export function judgedRange(text: string, trusted: AddressSet): RangeJudgement | undefined {
  const key = keyOf(trusted);
  let known = judgements.get(key);
  if (!known) {
    if (judgements.size >= 16) judgements.clear();
    judgements.set(key, (known = new Map()));
  }
  if (known.has(text)) return known.get(text);
  const judged = judgeRangeText(text, trusted);
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.set(text, judged);
  return judged;
}
