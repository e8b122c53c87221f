import { apacheModel } from '../../apache/index';
import { defineCheck } from '../../../../core/check';
import type { ApacheConfig } from '../../apache/model';
import { AddressSet } from '../../../../net';
import { apacheAddressToCidr, judgeRange } from '../ranges';

// mod_remoteip: with RemoteIPHeader set, a request from a trusted proxy may name its own client address.
export const realipTrustsAnyProxyApache = defineCheck<ApacheConfig>({
  rule: 'web/realip-trusts-any-proxy',
  model: apacheModel,
  run(config, report, context) {
    const trusted = AddressSet.parse(context.settings.trustedNetworks);
    const all = config.scopes.flatMap((scope) => scope.directives);
    if (!all.some((d) => d.lower === 'remoteipheader')) return;
    const sections = [...config.allSections()];
    const gates = sections.some((s) => s.directives.some((d) => (d.lower === 'require' && d.args[0]?.value.toLowerCase() === 'ip') || (d.lower === 'allow' && !d.args.some((a) => a.value.toLowerCase() === 'all'))));
    for (const directive of all) {
      if (directive.lower !== 'remoteiptrustedproxy' && directive.lower !== 'remoteipinternalproxy') continue;
      for (const arg of directive.args) {
        const judged = judgeRange(apacheAddressToCidr(arg.value), trusted);
        if (!judged || !(judged.everything || judged.wide || judged.intended)) continue;
        report(
          arg.span,
          {
            range: arg.value,
            gates: gates
              ? { en: ' This configuration grants access by address (Require ip), so anyone can pass it.', ja: ' この設定はアドレスでアクセスを許可している（Require ip）ため、誰でも通過できます。' }
              : { en: ' Logs then record whatever address the client claims.', ja: ' ログにはクライアントが自称するアドレスが記録されます。' },
          },
          { severity: gates ? 'error' : 'warning', suggestions: [{ title: 'replace', data: { intended: judged.intended ?? '192.168.0.0/16' }, edits: [{ span: arg.span, newText: judged.intended ?? '192.168.0.0/16' }] }] },
        );
      }
    }
  },
});
