import { type TextRef, text } from '../../../core/check';

/** Several reasons in one sentence: "a; b" in English, "a。b" in Japanese. */
export function joinReasons([first, ...rest]: readonly TextRef[]): TextRef | string {
  if (!first) return '';
  return rest.length ? text('compose.reasons-joined', { first, rest: joinReasons(rest) }) : first;
}
