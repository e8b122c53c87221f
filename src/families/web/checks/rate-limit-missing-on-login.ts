// web/rate-limit-missing-on-login: a login or contact-form location without a request rate limit (nginx).
import { nginxModel } from '../nginx/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig, NginxLocation } from '../nginx/model';
import { effectiveGroup, inheritanceChain } from '../nginx/model';
import { resolveRequest, verdictFor } from '../nginx/request';
import { headSpan, insertAtBlockStart } from './support/nginx-edits';
import { isReachable } from './support/nginx-servers';
import { LOGIN_OR_FORM } from './paths';

// ngx_http_limit_req_module: limit_req is inherited only by contexts without their own. A location written for
// a login or contact form with no effective limit lets credential stuffing and form spam run at full speed.
export const rateLimitMissingOnLoginNginx = defineCheck<NginxConfig>({
  rule: 'web/rate-limit-missing-on-login',
  model: nginxModel,
  run(config, report) {
    const zones = [...config.contexts()].flatMap((c) => c.directives.filter((d) => d.name === 'limit_req_zone'));
    const zoneName = /zone=([\w-]+)/.exec(zones[0]?.args.map((a) => a.value).join(' ') ?? '')?.[1];
    for (const server of config.servers) {
      if (!isReachable(server)) continue;
      const visit = (locations: NginxLocation[]) => {
        for (const location of locations) {
          visit(location.locations);
          if (location.modifier === '@' || !LOGIN_OR_FORM.test(location.pattern)) continue;
          const limits = effectiveGroup(inheritanceChain(location), ['limit_req']).directives;
          if (limits.length) continue;
          const probe = location.modifier === '' || location.modifier === '=' || location.modifier === '^~' ? location.pattern : undefined;
          if (probe && verdictFor(resolveRequest(server, probe)) !== 'served') continue;
          const insert = zoneName ? insertAtBlockStart(config, location.owner, [`limit_req zone=${zoneName} burst=5 nodelay;`]) : undefined;
          report(
            headSpan(location.owner),
            { path: location.pattern, zone: zoneName ?? 'login' },
            { suggestions: insert ? [{ title: 'addLimit', data: { zone: zoneName! }, edits: [insert] }] : [] },
          );
        }
      };
      visit(server.locations);
    }
  },
});
