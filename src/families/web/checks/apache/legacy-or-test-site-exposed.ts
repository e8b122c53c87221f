import { apacheModel } from '../../apache/index';
import { defineCheck } from '../../../../core/check';
import type { ApacheConfig } from '../../apache/model';
import { accessFor } from '../../apache/access';
import { LEGACY_OR_TEST, PRIVATE_HOST } from '../paths';

export const legacyOrTestSiteExposedApache = defineCheck<ApacheConfig>({
  rule: 'web/legacy-or-test-site-exposed',
  model: apacheModel,
  run(config, report) {
    for (const vhost of config.vhosts) {
      if (vhost.addresses.every((address) => /^(127\.|\[::1\]|localhost)/.test(address))) continue;
      const nameDirective = vhost.directives.find((d) => (d.lower === 'servername' || d.lower === 'serveralias') && d.args.some((a) => !PRIVATE_HOST.test(a.value.split(':')[0]!) && LEGACY_OR_TEST.test(a.value.split(':')[0]!.replace(/^\*\./, ''))));
      if (!nameDirective) continue;
      if (vhost.directives.some((d) => /^redirect(permanent|match)?$/.test(d.lower) && d.args.some((a) => a.value === '/'))) continue;
      const access = accessFor(config, vhost, '/');
      if (access.verdict !== 'granted' && access.verdict !== 'unknown') continue;
      const arg = nameDirective.args.find((a) => LEGACY_OR_TEST.test(a.value))!;
      report(arg.span, { name: arg.value });
    }
  },
});
