import { apacheModel } from '../../apache/index';
import { defineCheck } from '../../../../core/check';
import type { ApacheConfig } from '../../apache/model';
import { DOWNLOAD_AREA } from '../paths';

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
          ? { en: ' This is the server-wide default for /var/www/ (Debian\'s stock apache2.conf): every site below it lists folders that have no index file, so a forgotten backup or upload folder becomes browsable.', ja: ' これはサーバー全体の /var/www/ の既定値（Debian 標準の apache2.conf）です。配下のすべてのサイトで、インデックスファイルのないフォルダが一覧表示され、置き忘れたバックアップやアップロード用フォルダが閲覧可能になります。' }
          : download
            ? { en: ` (${pattern} looks like a download area)`, ja: `（${pattern} はダウンロード用の領域と思われます）` }
            : { en: '', ja: '' };
        const replacement = /^\+?indexes$/i.test(arg.value) ? '-Indexes' : null;
        const all = directive.args.every((a) => /^[+-]/.test(a.value)) || directive.args.length === 1;
        report(arg.span, { where }, {
          ...(stock || download ? { severity: 'info' as const } : {}),
          suggestions: replacement && (all || !arg.value.startsWith('+')) ? [{ title: 'minusIndexes', edits: [all ? { span: arg.span, newText: '-Indexes' } : { span: removalSpan(arg.span, config, directive.args.length), newText: '' }] }] : [],
        });
      }
  },
});

/** Removes `Indexes` and the space before it from `Options Indexes FollowSymLinks`. */
function removalSpan(span: { file: string; start: number; end: number }, config: ApacheConfig, count: number) {
  const text = config.sources.get(span.file)?.text ?? '';
  let start = span.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (count === 1) return span;
  if (text.slice(start - 7, start).toLowerCase() === 'options') {
    let end = span.end;
    while (text[end] === ' ' || text[end] === '\t') end++;
    return { ...span, end };
  }
  return { ...span, start };
}
