// web/directory-listing-enabled: folders listed to every visitor (nginx autoindex, Apache Options Indexes).
import { nginxModel } from '../nginx/index';
import { apacheModel } from '../apache/index';
import { defineCheck, text } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
import type { ApacheConfig } from '../apache/model';
import { DOWNLOAD_AREA } from './paths';

// ngx_http_autoindex_module: `autoindex on;` lists every file of a folder that has no index file.
export const directoryListingEnabledNginx = defineCheck<NginxConfig>({
  rule: 'web/directory-listing-enabled',
  model: nginxModel,
  run(config, report) {
    for (const context of config.contexts())
      for (const directive of context.directives) {
        if (directive.name !== 'autoindex' || directive.args[0]?.value !== 'on') continue;
        const pattern = context.kind === 'location' ? ((context as { pattern?: string }).pattern ?? '') : '';
        const download = DOWNLOAD_AREA.test(pattern);
        report(
          directive.span,
          { where: download ? text('web.directory-listing-enabled.nginx-download-area', { pattern }) : '' },
          { ...(download ? { severity: 'info' as const } : {}), suggestions: [{ title: 'off', edits: [{ span: directive.args[0].span, newText: 'off' }] }] },
        );
      }
  },
});

// mod_autoindex: `Options Indexes` (or `All`, which includes it) lists a folder that has no DirectoryIndex file.
// Debian's stock apache2.conf enables it server-wide for /var/www/: told as information that says why,
// since it is the package default every site inherits rather than a choice made for one site.
export const directoryListingEnabledApache = defineCheck<ApacheConfig>({
  rule: 'web/directory-listing-enabled',
  model: apacheModel,
  run(config, report) {
    const scopes = config.scopes.map((scope) => ({ directives: scope.directives, pattern: '', stock: false }));
    const sections = [...config.allSections()].map((s) => ({
      directives: s.directives,
      pattern: s.pattern,
      stock: !s.vhost && !s.parent && s.kind === 'directory' && /^\/var\/www\/?$/.test(s.pattern),
    }));
    for (const { directives, pattern, stock } of [...scopes, ...sections])
      for (const directive of directives) {
        if (directive.lower !== 'options') continue;
        const arg = directive.args.find((a) => /^\+?(indexes|all)$/i.test(a.value));
        if (!arg) continue;
        const download = DOWNLOAD_AREA.test(pattern);
        const where = stock
          ? text('web.directory-listing-enabled.debian-stock-default')
          : download
            ? text('web.directory-listing-enabled.apache-download-area', { pattern })
            : '';
        const replacement = /^\+?indexes$/i.test(arg.value) ? '-Indexes' : null;
        const all = directive.args.every((a) => /^[+-]/.test(a.value)) || directive.args.length === 1;
        report(
          arg.span,
          { where },
          {
            ...(stock || download ? { severity: 'info' as const } : {}),
            suggestions:
              replacement && (all || !arg.value.startsWith('+'))
                ? [
                    {
                      title: 'minusIndexes',
                      edits: [all ? { span: arg.span, newText: '-Indexes' } : { span: removalSpan(arg.span, config, directive.args.length), newText: '' }],
                    },
                  ]
                : [],
          },
        );
      }
  },
});

/** Removes `Indexes` and the space before it from `Options Indexes FollowSymLinks`. */
function removalSpan(span: { file: string; start: number; end: number }, config: ApacheConfig, count: number) {
  const content = config.sources.get(span.file)?.text ?? '';
  let start = span.start;
  while (start > 0 && (content[start - 1] === ' ' || content[start - 1] === '\t')) start--;
  if (count === 1) return span;
  if (content.slice(start - 7, start).toLowerCase() === 'options') {
    let end = span.end;
    while (content[end] === ' ' || content[end] === '\t') end++;
    return { ...span, end };
  }
  return { ...span, start };
}
