// web/sensitive-files-not-denied: a document root holding a checkout (.git/) or an .env file hands out source
// and passwords unless something denies them, in nginx and in Apache.
import { nginxModel } from '../nginx/index';
import { apacheModel } from '../apache/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig, NginxServer } from '../nginx/model';
import { effectiveDirective, inheritanceChain } from '../nginx/model';
import { resolveRequest, verdictFor } from '../nginx/request';
import type { ApacheConfig } from '../apache/model';
import { accessFor } from '../apache/access';
import { insertAtBlockStart } from './support/nginx-edits';
import { isReachable } from './support/nginx-servers';

/** The paths both halves request: a checkout's config and an environment file. */
export const SENSITIVE_PROBES = ['/.git/config', '/.env'];
/** Includes that ship with nginx or Debian and never deny anything. */
const HARMLESS_NAMES = new Set([
  'mime.types',
  'fastcgi_params',
  'fastcgi.conf',
  'uwsgi_params',
  'scgi_params',
  'proxy_params',
  'fastcgi-php.conf',
  'snakeoil.conf',
  'win-utf',
]);

function harmlessInclude(reference: string): boolean {
  const base = reference.slice(reference.lastIndexOf('/') + 1);
  if (HARMLESS_NAMES.has(base) || /^koi-\w+$/.test(base)) return true;
  return reference === 'modules-enabled/*.conf' || reference.endsWith('/modules-enabled/*.conf');
}

function servesFiles(server: NginxServer, path: string): boolean {
  const outcome = resolveRequest(server, path);
  if (verdictFor(outcome) !== 'served') return false;
  const chain = inheritanceChain(outcome.location ?? server);
  if (['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'grpc_pass', 'scgi_pass'].some((name) => outcome.location?.directives.some((d) => d.name === name)))
    return false;
  return effectiveDirective(chain, 'root') !== undefined || effectiveDirective(chain, 'alias') !== undefined;
}

export const sensitiveFilesNotDeniedNginx = defineCheck<NginxConfig>({
  rule: 'web/sensitive-files-not-denied',
  model: nginxModel,
  run(config, report) {
    if (config.unresolvedIncludes.some((include) => !harmlessInclude(include.args[0]?.value ?? ''))) return;
    for (const server of config.servers) {
      if (!isReachable(server)) continue;
      const exposed = SENSITIVE_PROBES.filter((path) => servesFiles(server, path));
      if (!exposed.length) continue;
      const insert = server.owner
        ? insertAtBlockStart(config, server.owner, [
            'location ~ /\\.(?!well-known/) { deny all; }',
            'location ~* \\.(?:sql|bak|old|orig|swp|dump)$ { deny all; }',
          ])
        : undefined;
      const root = effectiveDirective(inheritanceChain(server), 'root');
      report(
        server.owner ? server.anchor : (root?.span ?? server.anchor),
        { paths: exposed.join(', ') },
        { suggestions: insert ? [{ title: 'denyDotfiles', edits: [insert] }] : [] },
      );
    }
  },
});

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
      report(
        root.span,
        { paths: exposed.join(', ') },
        {
          suggestions: [
            {
              title: 'denyDotfiles',
              edits: [
                { span: { file: root.span.file, start: root.span.end, end: root.span.end }, newText: block.map((line) => `\n${indent}${line}`).join('') },
              ],
            },
          ],
        },
      );
    }
  },
});
