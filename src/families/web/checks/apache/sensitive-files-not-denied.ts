import { apacheModel } from '../../apache/index';
import { defineCheck } from '../../../../core/check';
import type { ApacheConfig } from '../../apache/model';
import { accessFor } from '../../apache/access';
import { SENSITIVE_PROBES } from '../sensitive-files-not-denied';

// Apache's stock configuration denies only `.ht*`: .git/ and .env under a DocumentRoot are served.
export const sensitiveFilesNotDeniedApache = defineCheck<ApacheConfig>({
  rule: 'web/sensitive-files-not-denied',
  model: apacheModel,
  run(config, report) {
    for (const scope of config.scopes) {
      const root = scope.directives.filter((d) => d.lower === 'documentroot').pop();
      if (!root) continue;
      const exposed = SENSITIVE_PROBES.filter((path) => {
        const access = accessFor(config, scope, path);
        if (access.mapping.proxiedBy || !access.mapping.file) return false;
        return access.verdict === 'granted' || (access.verdict === 'unknown' && !config.hasMainConfig);
      });
      if (!exposed.length) continue;
      const source = config.sources.get(root.span.file);
      const indent = source ? /^[ \t]*/.exec(source.lineText(source.positionAt(root.span.start).line))![0] : '';
      const step = indent.includes('\t') ? '\t' : '    ';
      const block = [
        '<DirectoryMatch "/\\.(git|svn|hg)(/|$)">',
        `${step}Require all denied`,
        '</DirectoryMatch>',
        '<FilesMatch "^\\.env|\\.(sql|bak|old|orig|swp|dump)$">',
        `${step}Require all denied`,
        '</FilesMatch>',
      ];
      report(root.span, { paths: exposed.join(', ') }, {
        suggestions: [{ title: 'denyDotfiles', edits: [{ span: { file: root.span.file, start: root.span.end, end: root.span.end }, newText: block.map((line) => `\n${indent}${line}`).join('') }] }],
      });
    }
  },
});
