// web/server-version-disclosure: the Server header and error pages name the server's version (nginx, Apache).
import { nginxModel } from '../nginx/index';
import { apacheModel } from '../apache/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import type { ApacheConfig } from '../apache/model';
import { insertAtBlockStart } from './support/nginx-edits';

// server_tokens defaults to on: the Server header and error pages name the nginx version. Told once, at the
// http block of a whole configuration, or where `server_tokens on` is written.
export const serverVersionDisclosureNginx = defineCheck<NginxConfig>({
  rule: 'web/server-version-disclosure',
  model: nginxModel,
  run(config, report) {
    for (const context of config.contexts())
      for (const directive of context.directives)
        if (directive.name === 'server_tokens' && directive.args[0]?.value === 'on')
          report(directive.span, {}, { fix: { title: 'off', edits: [{ span: directive.args[0].span, newText: 'off' }] } });
    const http = config.http?.owner;
    // Absence is only told for a whole nginx.conf (with its events block), where `server_tokens off;` belongs.
    if (!http || http.nameSpan.file !== config.lintedPath || !config.main.directives.some((d) => d.name === 'events')) return;
    if ([...config.contexts()].some((c) => c.directives.some((d) => d.name === 'server_tokens'))) return;
    const insert = insertAtBlockStart(config, http, ['server_tokens off;']);
    report(http.nameSpan, {}, insert ? { fix: { title: 'off', edits: [insert] } } : {});
  },
});

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
        if (directive.lower === 'servertokens' && !/^prod(uctonly)?$/i.test(value.value))
          report(value.span, {}, { fix: { title: 'prod', edits: [{ span: value.span, newText: 'Prod' }] } });
        if (directive.lower === 'serversignature' && /^(on|email)$/i.test(value.value))
          report(value.span, {}, { fix: { title: 'signatureOff', edits: [{ span: value.span, newText: 'Off' }] } });
      }
  },
});
