// web/security-headers-dropped: a location's own add_header silently drops the security headers set above it (nginx).
import { nginxModel } from '../nginx/index';
import { defineCheck, text } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import { inheritanceChain } from '../nginx/model';
import type { NginxDirective } from '../nginx/syntax';
import { insertAtBlockStart } from './support/nginx-edits';

// ngx_http_headers_module: add_header lines are inherited only by a context that has none of its own, so one
// `add_header Cache-Control ...` in a location silently drops the server's CSP, HSTS and X-Frame-Options there.
const SECURITY = /^(content-security-policy|strict-transport-security|x-frame-options|x-content-type-options|referrer-policy|permissions-policy)$/i;

const headerName = (directive: NginxDirective) => directive.args[0]?.value.toLowerCase() ?? '';

export const securityHeadersDroppedNginx = defineCheck<NginxConfig>({
  rule: 'web/security-headers-dropped',
  model: nginxModel,
  run(config, report) {
    for (const context of config.contexts()) {
      if (context.kind !== 'location' && context.kind !== 'server' && context.kind !== 'if') continue;
      const ownHeaders = context.directives.filter((d) => d.name === 'add_header' && !d.block);
      if (!ownHeaders.length) continue;
      const chain = inheritanceChain(context).slice(0, -1);
      let parentHeaders: NginxDirective[] = [];
      for (let index = chain.length - 1; index >= 0 && !parentHeaders.length; index--)
        parentHeaders = chain[index]!.directives.filter((d) => d.name === 'add_header' && !d.block);
      const ownNames = new Set(ownHeaders.map(headerName));
      const dropped = parentHeaders.filter((d) => SECURITY.test(headerName(d)) && !ownNames.has(headerName(d)));
      if (!dropped.length || !context.owner) continue;
      const copies = dropped.map((d) => config.sourceOf(d.span.file)?.text.slice(d.span.start, d.span.end) ?? '').filter(Boolean);
      const insert = insertAtBlockStart(config, context.owner, copies);
      report(
        ownHeaders[0]!.span,
        { headers: dropped.map((d) => d.args[0]!.value).join(', ') },
        {
          suggestions: insert ? [{ title: 'copyHeaders', edits: [insert] }] : [],
          related: dropped.map((d) => ({ span: d.span, message: text('web.security-headers-dropped.not-inherited-below') })),
        },
      );
    }
  },
});
