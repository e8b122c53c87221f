// ufw/allowlist-public-or-mistyped-range: `ufw allow from <range>` where the range reaches into public space:
// a mistyped private block (IPA case 21: 172.0.0.0/8 for 172.16.0.0/12) or a very wide public range.
import { defineCheck } from '../../../core/check';
import { judgeRange, parseRange } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import { count, universe } from '../../shared/firewall';
import type { IptRule } from '../../iptables/rule';
import { type UfwModel, ufwModel } from '../formats';
import { lintedRuleset } from './support';

export const allowlistPublicOrMistypedRange = defineCheck<UfwModel>({
  rule: 'ufw/allowlist-public-or-mistyped-range',
  model: ufwModel,
  run(model, report, context) {
    const ruleset = lintedRuleset(model);
    if (!ruleset) return;
    for (const chain of ruleset.ruleset.chains.values())
      for (const rule of chain.rules as IptRule[]) {
        if (rule.span.file !== model.source.path || rule.sourceNegated || rule.action.kind === 'drop' || rule.action.kind === 'reject') continue;
        if (rule.action.kind !== 'accept' && rule.action.kind !== 'jump') continue;
        for (const entry of rule.sourceEntries) {
          if (!entry.set) continue;
          const parsed = parseRange(/\/\d+$/.test(entry.text) ? entry.text : `${entry.text}/${ruleset.family === 4 ? 32 : 128}`);
          if (!parsed) continue;
          const judged = judgeRange(parsed, context.trusted, entry.set.intersect(universe(ruleset.family)));
          if (judged.everything || !(judged.intended || judged.veryWide)) continue;
          const tuple = ruleset.tuples.get(rule)?.source;
          const edits = [{ span: entry.span, newText: judged.intended ?? '' }];
          if (tuple && tuple.text === entry.text) edits.push({ span: tuple.span, newText: judged.intended ?? '' });
          report(
            entry.span,
            { range: entry.text, publicCount: count(judged.publicCount), hint: didYouMean(judged) },
            {
              severity: judged.intended ? 'error' : 'warning',
              suggestions: judged.intended ? [{ title: 'replace', data: { range: entry.text, intended: judged.intended }, edits }] : [],
            },
          );
        }
      }
  },
});
