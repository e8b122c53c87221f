// The sentence every allow-list finding ends with when the entry looks like a mistyped private block.
import { type TextRef, text } from '../../core/check';
import type { RangeJudgement } from '../../net';

/** " Did you mean the private block 172.16.0.0/12?" when the entry has an intended block, else nothing. */
export function didYouMean(judgement: Pick<RangeJudgement, 'intended'> | undefined): TextRef | string {
  return judgement?.intended ? text('range.did-you-mean', { intended: judgement.intended }) : '';
}
