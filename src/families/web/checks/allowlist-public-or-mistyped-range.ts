import { nginxModel } from '../nginx/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import { AddressSet } from '../../../net';
import { judgeRange } from './ranges';

// An allow-list entry that reaches into public address space: a typo for a private block (172.0.0.0/8 for
// 172.16.0.0/12, the mistake of case 21) or a range so wide it admits a large part of the internet.
export const allowlistPublicOrMistypedRangeNginx = defineCheck<NginxConfig>({
  rule: 'web/allowlist-public-or-mistyped-range',
  model: nginxModel,
  run(config, report, context) {
    const trusted = AddressSet.parse(context.settings.trustedNetworks);
    for (const scope of config.contexts())
      for (const directive of scope.directives) {
        if (directive.name !== 'allow' || !directive.args[0] || directive.block) continue;
        const judged = judgeRange(directive.args[0].value, trusted);
        if (!judged || !(judged.intended || judged.wide)) continue;
        report(
          directive.args[0].span,
          { range: directive.args[0].value, publicCount: judged.publicSize.toLocaleString('en-US'), hint: hint(judged.intended) },
          {
            severity: judged.intended || judged.everything ? 'error' : 'warning',
            suggestions: judged.intended ? [{ title: 'replace', data: { range: directive.args[0].value, intended: judged.intended }, edits: [{ span: directive.args[0].span, newText: judged.intended }] }] : [],
          },
        );
      }
  },
});

export function hint(intended: string | undefined) {
  return intended ? { en: ` Did you mean the private block ${intended}?`, ja: ` 意図したのはプライベート範囲 ${intended} ではありませんか。` } : { en: '', ja: '' };
}
