// iptables/allowlist-public-or-mistyped-range: a `-s` entry of an accepting rule that reaches into public
// space: a mistyped private block (`172.0.0.0/8` for 172.16.0.0/12, the mistake of IPA case 21; iptables also
// masks host bits silently, so `172.16.0.1/8` is 172.0.0.0/8) or a very wide public range.
import { defineCheck } from '../../../core/check';
import { type ParsedRange, judgeRange, parseRange } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import { type Chain, type FirewallRule, memoValue, universe, valueMemo } from '../../shared/firewall';
import { type IptablesModel, iptablesModel } from '../formats';
import type { IptRule } from '../rule';
import { count } from '../../shared/firewall';

export const allowlistPublicOrMistypedRange = defineCheck<IptablesModel>({
  rule: 'iptables/allowlist-public-or-mistyped-range',
  model: iptablesModel,
  run(model, report, context) {
    for (const chain of model.ruleset.chains.values())
      for (const rule of chain.rules as IptRule[]) {
        if (rule.sourceNegated || !rule.sourceEntries.length || !grants(rule, model.ruleset.chains)) continue;
        for (const entry of rule.sourceEntries) {
          if (!entry.set) continue;
          const parsed = writtenRange(entry.text, model.family);
          if (!parsed) continue;
          const judged = judgeRange(parsed, context.trusted, entry.set.intersect(universe(model.family)));
          // 0.0.0.0/0 is "no restriction": the exposure rules speak about what it opens.
          if (judged.everything || !(judged.intended || judged.veryWide)) continue;
          report(
            entry.span,
            { range: entry.text, publicCount: count(judged.publicCount), hint: didYouMean(judged) },
            {
              severity: judged.intended ? 'error' : 'warning',
              suggestions: judged.intended
                ? [{ title: 'replace', data: { range: entry.text, intended: judged.intended }, edits: [{ span: entry.span, newText: judged.intended }] }]
                : [],
            },
          );
        }
      }
  },
});

/** The range an entry is written as (with its prefix length), remembered by text between lints. */
function writtenRange(entry: string, family: 4 | 6): ParsedRange | undefined {
  return memoValue(family === 4 ? written4 : written6, entry, () => {
    const written = /\/\d+$/.test(entry) ? entry : `${entry}/${family === 4 ? 32 : 128}`;
    return parseRange(normaliseV4(written, family));
  });
}

const written4 = valueMemo<ParsedRange | undefined>();
const written6 = valueMemo<ParsedRange | undefined>();

/** `10.1/16` -> `10.1.0.0/16` (iptables fills missing octets with zeros). */
function normaliseV4(text: string, family: 4 | 6): string {
  if (family !== 4) return text;
  const [address, mask] = text.split('/');
  const octets = address!.split('.');
  while (octets.length < 4) octets.push('0');
  return `${octets.join('.')}/${mask}`;
}

/** The rule lets packets in: ACCEPT, or a jump to a chain that accepts something. */
function grants(rule: FirewallRule, chains: ReadonlyMap<string, Chain>, depth = 0): boolean {
  const action = rule.action;
  if (action.kind === 'accept') return true;
  if ((action.kind === 'jump' || action.kind === 'goto') && depth < 8) {
    const target = chains.get(action.chain);
    return target?.rules.some((inner) => grants(inner, chains, depth + 1)) ?? false;
  }
  return false;
}
