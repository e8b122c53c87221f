import { nginxModel } from '../nginx/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import { AddressSet } from '../../../net';
import { judgeRange } from './ranges';

// ngx_http_realip_module: a request from an address in set_real_ip_from may name its own client address in
// real_ip_header. Trusting everyone means every client picks the address that `allow 10.0.0.0/8` admits.
export const realipTrustsAnyProxyNginx = defineCheck<NginxConfig>({
  rule: 'web/realip-trusts-any-proxy',
  model: nginxModel,
  run(config, report, context) {
    const trusted = AddressSet.parse(context.settings.trustedNetworks);
    const gates = [...config.contexts()].some((c) => c.directives.some((d) => d.name === 'allow' && d.args[0]?.value !== 'all'));
    for (const scope of config.contexts())
      for (const directive of scope.directives) {
        if (directive.name !== 'set_real_ip_from' || !directive.args[0]) continue;
        const judged = judgeRange(directive.args[0].value, trusted);
        if (!judged || !(judged.everything || judged.wide || judged.intended)) continue;
        report(
          directive.args[0].span,
          {
            range: directive.args[0].value,
            gates: gates
              ? { en: ' This configuration grants access by address (allow), so anyone can pass it.', ja: ' この設定はアドレスでアクセスを許可している（allow）ため、誰でも通過できます。' }
              : { en: ' Logs and rate limits then record whatever address the client claims.', ja: ' ログやレート制限にはクライアントが自称するアドレスが記録されます。' },
          },
          {
            severity: gates ? 'error' : 'warning',
            suggestions: [{ title: 'replace', data: { intended: judged.intended ?? '192.168.0.0/16' }, edits: [{ span: directive.args[0].span, newText: judged.intended ?? '192.168.0.0/16' }] }],
          },
        );
      }
  },
});
