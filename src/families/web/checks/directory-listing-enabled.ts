import { nginxModel } from '../nginx/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig } from '../nginx/model';
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
          { where: download ? { en: ` (under ${pattern}, which looks like a download area)`, ja: `（${pattern} 配下。ダウンロード用の領域と思われます）` } : { en: '', ja: '' } },
          { ...(download ? { severity: 'info' as const } : {}), suggestions: [{ title: 'off', edits: [{ span: directive.args[0].span, newText: 'off' }] }] },
        );
      }
  },
});
