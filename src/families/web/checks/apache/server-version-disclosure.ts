import { apacheModel } from '../../apache/index';
import { defineCheck } from '../../../../core/check';
import type { ApacheConfig } from '../../apache/model';

// ServerTokens other than Prod puts the version (and OS) in the Server header; ServerSignature On adds it to
// error pages. Informational: no incident was caused by it.
export const serverVersionDisclosureApache = defineCheck<ApacheConfig>({
  rule: 'web/server-version-disclosure',
  model: apacheModel,
  run(config, report) {
    for (const scope of config.scopes)
      for (const directive of scope.directives) {
        const value = directive.args[0];
        if (!value) continue;
        if (directive.lower === 'servertokens' && !/^prod(uctonly)?$/i.test(value.value)) report(value.span, {}, { fix: { title: 'prod', edits: [{ span: value.span, newText: 'Prod' }] } });
        if (directive.lower === 'serversignature' && /^(on|email)$/i.test(value.value)) report(value.span, {}, { fix: { title: 'signatureOff', edits: [{ span: value.span, newText: 'Off' }] } });
      }
  },
});
