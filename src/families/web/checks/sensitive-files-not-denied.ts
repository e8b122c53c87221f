import { nginxModel } from '../nginx/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig, NginxServer } from '../nginx/model';
import { effectiveDirective, inheritanceChain } from '../nginx/model';
import { resolveRequest, verdictFor } from '../nginx/request';
import { insertAtBlockStart } from './nginx/edits';
import { isReachable } from './admin-path-unrestricted';

export const SENSITIVE_PROBES = ['/.git/config', '/.env'];
/** Includes that ship with nginx or Debian and never deny anything. */
const HARMLESS_INCLUDE = /(^|\/)(mime\.types|fastcgi_params|fastcgi\.conf|uwsgi_params|scgi_params|proxy_params|fastcgi-php\.conf|snakeoil\.conf|koi-\w+|win-utf|modules-enabled\/\*\.conf)$/;

function servesFiles(server: NginxServer, path: string): boolean {
  const outcome = resolveRequest(server, path);
  if (verdictFor(outcome) !== 'served') return false;
  const chain = inheritanceChain(outcome.location ?? server);
  if (['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'grpc_pass', 'scgi_pass'].some((name) => outcome.location?.directives.some((d) => d.name === name))) return false;
  return effectiveDirective(chain, 'root') !== undefined || effectiveDirective(chain, 'alias') !== undefined;
}

// A document root holding a checkout (.git/) or an .env file hands out source and passwords unless denied.
export const sensitiveFilesNotDeniedNginx = defineCheck<NginxConfig>({
  rule: 'web/sensitive-files-not-denied',
  model: nginxModel,
  run(config, report) {
    if (config.unresolvedIncludes.some((include) => !HARMLESS_INCLUDE.test(include.args[0]?.value ?? ''))) return;
    for (const server of config.servers) {
      if (!isReachable(server)) continue;
      const exposed = SENSITIVE_PROBES.filter((path) => servesFiles(server, path));
      if (!exposed.length) continue;
      const insert = server.owner ? insertAtBlockStart(config, server.owner, ['location ~ /\\.(?!well-known/) { deny all; }', 'location ~* \\.(?:sql|bak|old|orig|swp|dump)$ { deny all; }']) : undefined;
      const root = effectiveDirective(inheritanceChain(server), 'root');
      report(server.owner ? server.anchor : (root?.span ?? server.anchor), { paths: exposed.join(', ') }, { suggestions: insert ? [{ title: 'denyDotfiles', edits: [insert] }] : [] });
    }
  },
});
