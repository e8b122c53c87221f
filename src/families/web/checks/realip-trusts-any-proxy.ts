// web/realip-trusts-any-proxy: the client-address header is believed from anyone (nginx realip, Apache remoteip).
import { nginxModel } from '../nginx/index';
import { apacheModel } from '../apache/index';
import { defineCheck, text } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import type { ApacheConfig } from '../apache/model';
import { judgedRange } from './support/judged';
import { apacheAddressToCidr } from './support/apache-addresses';

// ngx_http_realip_module: a request from an address in set_real_ip_from may name its own client address in
// real_ip_header. Trusting everyone means every client picks the address that `allow 10.0.0.0/8` admits.
export const realipTrustsAnyProxyNginx = defineCheck<NginxConfig>({
  rule: 'web/realip-trusts-any-proxy',
  model: nginxModel,
  run(config, report, context) {
    const gates = [...config.contexts()].some((c) => c.directives.some((d) => d.name === 'allow' && d.args[0]?.value !== 'all'));
    for (const scope of config.contexts())
      for (const directive of scope.directives) {
        if (directive.name !== 'set_real_ip_from' || !directive.args[0]) continue;
        const judged = judgedRange(directive.args[0].value, context.trusted);
        if (!judged || !(judged.veryWide || judged.intended)) continue;
        report(
          directive.args[0].span,
          {
            range: directive.args[0].value,
            gates: gates ? text('web.realip-trusts-any-proxy.nginx-allow-gates') : text('web.realip-trusts-any-proxy.nginx-logs-and-limits'),
          },
          {
            severity: gates ? 'error' : 'warning',
            suggestions: [
              {
                title: 'replace',
                data: { intended: judged.intended ?? '192.168.0.0/16' },
                edits: [{ span: directive.args[0].span, newText: judged.intended ?? '192.168.0.0/16' }],
              },
            ],
          },
        );
      }
  },
});

// mod_remoteip: with RemoteIPHeader set, a request from a trusted proxy may name its own client address.
export const realipTrustsAnyProxyApache = defineCheck<ApacheConfig>({
  rule: 'web/realip-trusts-any-proxy',
  model: apacheModel,
  run(config, report, context) {
    const all = config.scopes.flatMap((scope) => scope.directives);
    if (!all.some((d) => d.lower === 'remoteipheader')) return;
    const sections = [...config.allSections()];
    const gates = sections.some((s) =>
      s.directives.some(
        (d) =>
          (d.lower === 'require' && d.args[0]?.value.toLowerCase() === 'ip') || (d.lower === 'allow' && !d.args.some((a) => a.value.toLowerCase() === 'all')),
      ),
    );
    for (const directive of all) {
      if (directive.lower !== 'remoteiptrustedproxy' && directive.lower !== 'remoteipinternalproxy') continue;
      for (const arg of directive.args) {
        const judged = judgedRange(apacheAddressToCidr(arg.value), context.trusted);
        if (!judged || !(judged.veryWide || judged.intended)) continue;
        report(
          arg.span,
          {
            range: arg.value,
            gates: gates ? text('web.realip-trusts-any-proxy.apache-require-ip-gates') : text('web.realip-trusts-any-proxy.apache-logs'),
          },
          {
            severity: gates ? 'error' : 'warning',
            suggestions: [
              {
                title: 'replace',
                data: { intended: judged.intended ?? '192.168.0.0/16' },
                edits: [{ span: arg.span, newText: judged.intended ?? '192.168.0.0/16' }],
              },
            ],
          },
        );
      }
    }
  },
});
