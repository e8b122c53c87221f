// nftables/allowlist-public-or-mistyped-range: a source address that a rule lets in (`ip saddr X accept`,
// a jump to a chain, a verdict-map element that accepts, or `ip saddr != X drop`) reaches into public space:
// a mistyped private block (172.0.0.0/8 for 172.16.0.0/12, case 21) or a very wide public range. Reported
// where the address is written: in the rule, in a `define`, or in a named set's elements.
import { defineCheck, text } from '../../../core/check';
import type { Span } from '../../../core/types';
import { type ParsedRange, judgeRange, parseRange } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import { nftablesModel } from '../formats';
import type { MatchExpression, RuleMeaning, ValueElement } from '../rule';
import { addressValue, partText } from '../values';
import { isWord, spanOf } from '../syntax';
import { formatCount } from './support';

interface Granted {
  element: ValueElement;
  index: number;
  version: 4 | 6;
}

/** Source elements the rule grants something to. */
function grantedSources(meaning: RuleMeaning): Granted[] {
  const verdict = meaning.verdict?.kind;
  const grants = verdict === 'accept' || verdict === 'jump' || verdict === 'goto';
  const denies = verdict === 'drop' || verdict === 'reject';
  const out: Granted[] = [];
  const sources = (match: Pick<MatchExpression, 'selector' | 'value'>, keep: (element: ValueElement) => boolean) => {
    match.selector.forEach((selector, index) => {
      const key = selector.join(' ');
      if (key !== 'ip saddr' && key !== 'ip6 saddr') return;
      for (const element of match.value.elements) if (keep(element)) out.push({ element, index, version: key === 'ip saddr' ? 4 : 6 });
    });
  };
  for (const match of meaning.matches) if (!match.masked && ((match.op === 'eq' && grants) || (match.op === 'ne' && denies))) sources(match, () => true);
  if (meaning.vmap) sources(meaning.vmap, (element) => isWord(element.mapsTo?.[0], 'accept', 'jump', 'goto'));
  return out;
}

export const allowlistPublicOrMistypedRange = defineCheck({
  rule: 'nftables/allowlist-public-or-mistyped-range',
  model: nftablesModel,
  run(config, report, context) {
    const seen = new Set<string>();
    // A named set's elements are the same values in every rule that names the set, and judged the same way:
    // each is judged once (the rule only adds a related location when it is reported).
    const judgedOnce = new Map<ValueElement, number>();
    for (const rule of config.ruleset.rules()) {
      for (const { element, index, version } of grantedSources(config.meaning(rule))) {
        if (index === 0) {
          const versions = judgedOnce.get(element) ?? 0;
          if (versions & version) continue;
          judgedOnce.set(element, versions | version);
        }
        const part = element.parts[index];
        if (!part?.length) continue;
        const span = spanOf(part);
        const key = `${span.file}:${span.start}`;
        if (span.file !== config.linted || seen.has(key)) continue;
        const written = partText(part);
        const set = addressValue(written, version);
        if (!set) continue;
        // A range written `a-b` is judged by what it holds; a prefix also by how it is written (typos).
        const parsed: ParsedRange | undefined = parseRange(written) ?? parseRange(written.slice(0, written.indexOf('-')));
        if (!parsed) continue;
        const judged = judgeRange(parsed, context.trusted, set);
        if (!(judged.intended || judged.veryWide)) continue;
        seen.add(key);
        const related: { span: Span; message: ReturnType<typeof text> }[] = [];
        if (rule.span.file !== span.file || rule.span.start > span.start || rule.span.end < span.end)
          related.push({ span: rule.span, message: text('nftables.used-by-rule') });
        report(
          span,
          { range: written, count: formatCount(judged.publicCount), hint: didYouMean(judged) },
          {
            severity: judged.intended || judged.everything ? 'error' : 'warning',
            related,
            suggestions: judged.intended
              ? [{ title: 'replace', data: { range: written, intended: judged.intended }, edits: [{ span, newText: judged.intended }] }]
              : [],
          },
        );
      }
    }
  },
});
