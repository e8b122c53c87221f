// web/installer-or-debug-endpoint-exposed: an installer, setup script, phpinfo page, framework profiler or
// server status page that the configuration itself routes, served to anyone (nginx and Apache).
import { nginxModel } from '../nginx/index';
import { apacheModel } from '../apache/index';
import { type RelatedSpec, type TextRef, defineCheck, text } from '../../../core/check';
import type { NginxConfig, NginxLocation, NginxServer } from '../nginx/model';
import { effectiveDirective, inheritanceChain, own } from '../nginx/model';
import { resolveRequest, verdictFor } from '../nginx/request';
import type { ApacheConfig, ApacheScope } from '../apache/model';
import type { ApacheDirective } from '../apache/syntax';
import { accessFor, sectionVerdict } from '../apache/access';
import { allowListLines, headSpan, insertAtBlockStart } from './support/nginx-edits';
import { isReachable } from './support/nginx-servers';
import { withoutTrailingSlashes } from '../../shared/names';

interface Endpoint {
  id: string;
  name: TextRef;
  probes: string[];
  /** Names a location, an alias, a root folder or a handler gives away. */
  marker: RegExp;
  severity?: 'info';
}

export const ENDPOINTS: readonly Endpoint[] = [
  {
    id: 'phpinfo',
    name: text('web.endpoint.phpinfo'),
    probes: ['/phpinfo.php', '/info.php', '/php_info.php'],
    marker: /(^|[^a-z])(phpinfo|php_info)([^a-z]|$)/i,
  },
  {
    id: 'installer',
    name: text('web.endpoint.installer'),
    probes: ['/install.php', '/install/', '/installer/', '/setup.php', '/setup/', '/upgrade.php', '/wp-admin/install.php', '/wp-admin/setup-config.php'],
    marker: /(^|[^a-z])(install|installer|setup|setup-config|upgrade)([^a-z]|$)/i,
  },
  {
    id: 'profiler',
    name: text('web.endpoint.profiler'),
    probes: ['/_profiler/', '/_wdt/', '/app_dev.php', '/index_dev.php', '/_ignition/health-check', '/telescope'],
    marker: /_profiler|_wdt|app_dev\.php|index_dev|_ignition|telescope/i,
  },
  {
    id: 'status',
    name: text('web.endpoint.server-status'),
    probes: ['/server-status', '/server-info', '/nginx_status', '/stub_status', '/fpm-status'],
    marker: /server-status|server-info|nginx_status|stub_status|fpm[-_]status/i,
  },
];

const SERVER_STATUS_HANDLERS = /^(server-status|server-info|balancer-manager|ldap-status)$/i;

/** Why the location (or the server) answering `probe` is this endpoint, if the configuration says so. */
function evidence(
  server: NginxServer,
  location: NginxLocation | undefined,
  endpoint: Endpoint,
  probe: string,
): { span: RelatedSpec['span']; path: string; severity?: 'info' } | undefined {
  // stub_status reports connection counts only: information.
  const stub = location ? own(location, 'stub_status')[0] : undefined;
  if (endpoint.id === 'status' && stub && location) return { span: stub.span, path: location.pattern, severity: 'info' };
  if (location && location.modifier !== '@' && location.pattern !== '/' && endpoint.marker.test(location.pattern))
    return { span: location.patternSpan, path: probe };
  const chain = inheritanceChain(location ?? server);
  for (const name of ['root', 'alias']) {
    const directive = effectiveDirective(chain, name);
    const written = directive?.args[0]?.value ?? '';
    if (directive && endpoint.id !== 'status' && endpoint.marker.test(withoutTrailingSlashes(written).split('/').pop() ?? ''))
      return { span: directive.span, path: written };
  }
  const name = server.names.find((candidate) => endpoint.marker.test(candidate.split('.')[0] ?? ''));
  if (endpoint.id === 'phpinfo' && name) return { span: server.anchor, path: name };
  return undefined;
}

export const installerOrDebugEndpointExposedNginx = defineCheck<NginxConfig>({
  rule: 'web/installer-or-debug-endpoint-exposed',
  model: nginxModel,
  run(config, report, context) {
    for (const server of config.servers) {
      if (!isReachable(server)) continue;
      const reported = new Set<unknown>();
      for (const endpoint of ENDPOINTS)
        for (const probe of endpoint.probes) {
          const outcome = resolveRequest(server, probe);
          if (verdictFor(outcome) !== 'served') continue;
          // An allow-list that lets strangers through is web/allowlist's or nginx/allow-without-deny's to tell.
          if (outcome.rules.some((rule) => rule.allow && !rule.everyone)) continue;
          const location = outcome.location;
          const found = evidence(server, location, endpoint, probe);
          if (!found) continue;
          const key = location ?? server;
          if (reported.has(key)) continue;
          reported.add(key);
          const span = location ? headSpan(location.owner) : server.owner ? server.anchor : (server.directives[0]?.span ?? server.anchor);
          const insert = location ? insertAtBlockStart(config, location.owner, allowListLines(context.settings.trustedNetworks)) : undefined;
          const related: RelatedSpec[] =
            found.span.start !== span.start ? [{ span: found.span, message: text('web.endpoint.named-here', { what: endpoint.name }) }] : [];
          report(
            span,
            { what: endpoint.name, path: found.path },
            {
              ...(found.severity ? { severity: found.severity } : {}),
              suggestions: insert ? [{ title: 'restrict', data: { what: endpoint.name }, edits: [insert] }] : [],
              related,
            },
          );
        }
    }
  },
});

function endpointFor(value: string): Endpoint | undefined {
  return ENDPOINTS.find((endpoint) => endpoint.marker.test(value));
}

export const installerOrDebugEndpointExposedApache = defineCheck<ApacheConfig>({
  rule: 'web/installer-or-debug-endpoint-exposed',
  model: apacheModel,
  run(config, report, context) {
    const reported = new Set<ApacheDirective>();
    const restrict = `Require ip ${(context.settings.trustedNetworks.length ? context.settings.trustedNetworks : ['192.168.0.0/16']).join(' ')}`;
    const flag = (at: ApacheDirective, what: TextRef, path: string, replace: boolean) => {
      if (reported.has(at)) return;
      reported.add(at);
      report(at.span, { what, path }, { suggestions: replace ? [{ title: 'restrict', data: { what }, edits: [{ span: at.span, newText: restrict }] }] : [] });
    };
    const scopes: ApacheScope[] = config.scopes;
    for (const scope of scopes) {
      // Status handlers and sections named after an endpoint, open to everyone.
      for (const section of scope.sections) {
        const handler = section.directives.find(
          (d) => (d.lower === 'sethandler' || d.lower === 'addhandler') && SERVER_STATUS_HANDLERS.test(d.args[0]?.value ?? ''),
        );
        const endpoint = handler ? ENDPOINTS.find((candidate) => candidate.id === 'status') : endpointFor(section.pattern);
        if (
          !endpoint ||
          (!handler && section.kind !== 'location' && section.kind !== 'locationmatch' && section.kind !== 'files' && section.kind !== 'filesmatch')
        )
          continue;
        const verdict = sectionVerdict(section);
        if (verdict) {
          if (verdict.verdict !== 'granted' || !verdict.decidingDirective) continue;
          flag(verdict.decidingDirective, endpoint.name, section.pattern, verdict.decidingDirective.lower === 'require');
          continue;
        }
        if (section.kind !== 'location') continue;
        const access = accessFor(config, scope, section.pattern);
        if (access.verdict === 'granted' || access.verdict === 'unknown') flag(section.directive, endpoint.name, section.pattern, false);
      }
      for (const alias of scope.directives.filter((d) => (d.lower === 'alias' || d.lower === 'scriptalias') && d.args.length >= 2)) {
        const endpoint = endpointFor(alias.args[0]!.value) ?? endpointFor(withoutTrailingSlashes(alias.args[1]!.value).split('/').pop() ?? '');
        if (!endpoint || endpoint.id === 'status') continue;
        const access = accessFor(config, scope, alias.args[0]!.value);
        if (access.verdict === 'granted' || access.verdict === 'unknown') flag(alias, endpoint.name, alias.args[0]!.value, false);
      }
    }
  },
});
