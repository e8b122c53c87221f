// web/allowlist-public-or-mistyped-range: an allow-list entry that reaches into public address space: a typo for
// a private block (172.0.0.0/8 for 172.16.0.0/12, the mistake of case 21) or a range so wide it admits a large
// part of the internet. nginx `allow`, Apache `Require ip` and `Allow from`.
import { nginxModel } from '../nginx/index';
import { apacheModel } from '../apache/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import type { ApacheConfig } from '../apache/model';
import type { ApacheDirective } from '../apache/syntax';
import { judgedRange } from './support/judged';
import { didYouMean } from '../../shared/range-text';
import { apacheAddressToCidr } from './support/apache-addresses';

export const allowlistPublicOrMistypedRangeNginx = defineCheck<NginxConfig>({
  rule: 'web/allowlist-public-or-mistyped-range',
  model: nginxModel,
  run(config, report, context) {
    for (const scope of config.contexts())
      for (const directive of scope.directives) {
        if (directive.name !== 'allow' || !directive.args[0] || directive.block) continue;
        const judged = judgedRange(directive.args[0].value, context.trusted);
        if (!judged || !(judged.intended || judged.veryWide)) continue;
        report(
          directive.args[0].span,
          { range: directive.args[0].value, publicCount: judged.publicCount.toLocaleString('en-US'), hint: didYouMean(judged) },
          {
            severity: judged.intended || judged.everything ? 'error' : 'warning',
            suggestions: judged.intended
              ? [
                  {
                    title: 'replace',
                    data: { range: directive.args[0].value, intended: judged.intended },
                    edits: [{ span: directive.args[0].span, newText: judged.intended }],
                  },
                ]
              : [],
          },
        );
      }
  },
});

export const allowlistPublicOrMistypedRangeApache = defineCheck<ApacheConfig>({
  rule: 'web/allowlist-public-or-mistyped-range',
  model: apacheModel,
  run(config, report, context) {
    for (const section of config.allSections()) {
      const lines = flatten(section.directive.children ?? []);
      for (const directive of lines) {
        const isRequire = directive.lower === 'require' && directive.args[0]?.value.toLowerCase() === 'ip';
        const isAllow = directive.lower === 'allow' && directive.args[0]?.value.toLowerCase() === 'from';
        if (!isRequire && !isAllow) continue;
        for (const arg of directive.args.slice(1)) {
          const judged = judgedRange(apacheAddressToCidr(arg.value), context.trusted);
          if (!judged || !(judged.intended || judged.veryWide)) continue;
          report(
            arg.span,
            { range: arg.value, publicCount: judged.publicCount.toLocaleString('en-US'), hint: didYouMean(judged) },
            {
              severity: judged.intended || judged.everything ? 'error' : 'warning',
              suggestions: judged.intended
                ? [{ title: 'replace', data: { range: arg.value, intended: judged.intended }, edits: [{ span: arg.span, newText: judged.intended }] }]
                : [],
            },
          );
        }
      }
    }
  },
});

/** The Require and Allow lines of a section, through RequireAny/RequireAll/RequireNone and If* containers. */
function flatten(list: ApacheDirective[]): ApacheDirective[] {
  return list.flatMap((d) => (/^(require(any|all|none)|if\w*)$/.test(d.lower) && d.children ? flatten(d.children) : d.children ? [] : [d]));
}
