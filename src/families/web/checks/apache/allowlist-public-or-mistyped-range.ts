import { apacheModel } from '../../apache/index';
import { defineCheck } from '../../../../core/check';
import type { ApacheConfig } from '../../apache/model';
import { AddressSet } from '../../../../net';
import { hint } from '../allowlist-public-or-mistyped-range';
import { apacheAddressToCidr, judgeRange } from '../ranges';

export const allowlistPublicOrMistypedRangeApache = defineCheck<ApacheConfig>({
  rule: 'web/allowlist-public-or-mistyped-range',
  model: apacheModel,
  run(config, report, context) {
    const trusted = AddressSet.parse(context.settings.trustedNetworks);
    for (const section of config.allSections()) {
      const lines = flatten(section.directive.children ?? []);
      for (const directive of lines) {
        const isRequire = directive.lower === 'require' && directive.args[0]?.value.toLowerCase() === 'ip';
        const isAllow = directive.lower === 'allow' && directive.args[0]?.value.toLowerCase() === 'from';
        if (!isRequire && !isAllow) continue;
        for (const arg of directive.args.slice(1)) {
          const judged = judgeRange(apacheAddressToCidr(arg.value), trusted);
          if (!judged || !(judged.intended || judged.wide)) continue;
          report(
            arg.span,
            { range: arg.value, publicCount: judged.publicSize.toLocaleString('en-US'), hint: hint(judged.intended) },
            {
              severity: judged.intended || judged.everything ? 'error' : 'warning',
              suggestions: judged.intended ? [{ title: 'replace', data: { range: arg.value, intended: judged.intended }, edits: [{ span: arg.span, newText: judged.intended }] }] : [],
            },
          );
        }
      }
    }
  },
});

function flatten(list: import('../../apache/syntax').ApacheDirective[]): import('../../apache/syntax').ApacheDirective[] {
  return list.flatMap((d) => (/^(require(any|all|none)|if\w*)$/.test(d.lower) && d.children ? flatten(d.children) : d.children ? [] : [d]));
}
