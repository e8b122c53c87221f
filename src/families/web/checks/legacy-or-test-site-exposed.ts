import { nginxModel } from '../nginx/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import { resolveRequest, verdictFor } from '../nginx/request';
import { allowListLines, insertAtBlockStart } from './nginx/edits';
import { isReachable } from './admin-path-unrestricted';
import { LEGACY_OR_TEST, PRIVATE_HOST } from './paths';

// A server named like a test, staging or old site that anyone on the internet can open (cases 33 to 36, 38).
export const legacyOrTestSiteExposedNginx = defineCheck<NginxConfig>({
  rule: 'web/legacy-or-test-site-exposed',
  model: nginxModel,
  run(config, report, context) {
    for (const server of config.servers) {
      if (!isReachable(server) || !server.owner) continue;
      const name = server.names.find((host) => !PRIVATE_HOST.test(host) && LEGACY_OR_TEST.test(host.replace(/^\*\./, '')));
      if (!name) continue;
      const outcome = resolveRequest(server, '/');
      if (verdictFor(outcome) !== 'served') continue;
      const nameDirective = server.directives.find((d) => d.name === 'server_name' && d.args.some((a) => a.value === name));
      const arg = nameDirective?.args.find((a) => a.value === name);
      const insert = insertAtBlockStart(config, server.owner, allowListLines(context.settings.trustedNetworks));
      report(arg?.span ?? server.anchor, { name }, { suggestions: insert ? [{ title: 'restrict', edits: [insert] }] : [] });
    }
  },
});
