// web/legacy-or-test-site-exposed: a server named like a test, staging or old site that anyone on the internet
// can open (cases 33 to 36, 38), in nginx and in Apache.
import { nginxModel } from '../nginx/index';
import { apacheModel } from '../apache/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import { resolveRequest, verdictFor } from '../nginx/request';
import type { ApacheConfig } from '../apache/model';
import { accessFor } from '../apache/access';
import { allowListLines, insertAtBlockStart } from './support/nginx-edits';
import { isReachable } from './support/nginx-servers';
import { LEGACY_OR_TEST, PRIVATE_HOST } from './paths';

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

export const legacyOrTestSiteExposedApache = defineCheck<ApacheConfig>({
  rule: 'web/legacy-or-test-site-exposed',
  model: apacheModel,
  run(config, report) {
    for (const vhost of config.vhosts) {
      if (vhost.addresses.every((address) => /^(127\.|\[::1\]|localhost)/.test(address))) continue;
      const nameDirective = vhost.directives.find(
        (d) =>
          (d.lower === 'servername' || d.lower === 'serveralias') &&
          d.args.some((a) => !PRIVATE_HOST.test(a.value.split(':')[0]!) && LEGACY_OR_TEST.test(a.value.split(':')[0]!.replace(/^\*\./, ''))),
      );
      if (!nameDirective) continue;
      if (vhost.directives.some((d) => /^redirect(permanent|match)?$/.test(d.lower) && d.args.some((a) => a.value === '/'))) continue;
      const access = accessFor(config, vhost, '/');
      if (access.verdict !== 'granted' && access.verdict !== 'unknown') continue;
      const arg = nameDirective.args.find((a) => LEGACY_OR_TEST.test(a.value))!;
      report(arg.span, { name: arg.value });
    }
  },
});
