import { nginxModel } from '../nginx/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import { insertAtBlockStart } from './nginx/edits';

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
