import { nginxModel } from '../nginx/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig, NginxLocation, NginxServer } from '../nginx/model';
import { effectiveDirective, inheritanceChain, own } from '../nginx/model';
import { resolveRequest, verdictFor } from '../nginx/request';
import { allowListLines, headSpan, insertAtBlockStart } from './nginx/edits';
import { ADMIN_APPS, type AdminApp } from './paths';

/** Where the configuration says this server (or this location) runs the application. */
export function servesApp(server: NginxServer, location: NginxLocation | undefined, app: AdminApp): 'location' | 'upstream' | 'server' | undefined {
  if (location && location.modifier !== '' && app.marker.test(location.pattern)) return 'location';
  if (location && location.modifier === '' && location.pattern !== '/' && app.marker.test(location.pattern)) return 'location';
  const chain = inheritanceChain(location ?? server);
  for (const name of ['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'root', 'alias']) {
    const directive = effectiveDirective(chain, name);
    const value = directive?.args[0]?.value ?? '';
    const target = name.endsWith('_pass') ? value.replace(/^\w+:\/\//, '').split(/[:/]/)[0]! : value;
    if (directive && app.marker.test(target)) return name.endsWith('_pass') && location ? 'upstream' : 'server';
  }
  if (server.names.some((name) => app.marker.test(name.split('.')[0] ?? ''))) return 'server';
  return undefined;
}

export function isReachable(server: NginxServer): boolean {
  return server.listens.length === 0 || server.listens.some((listen) => listen.reachable);
}

export const adminPathUnrestrictedNginx = defineCheck<NginxConfig>({
  rule: 'web/admin-path-unrestricted',
  model: nginxModel,
  run(config, report, context) {
    for (const server of config.servers) {
      if (!isReachable(server)) continue;
      const reported = new Set<unknown>();
      for (const app of ADMIN_APPS) {
        for (const probe of app.probes) {
          const outcome = resolveRequest(server, probe);
          const evidence = servesApp(server, outcome.location, app);
          if (!evidence || verdictFor(outcome) !== 'served') continue;
          // An allow-list that lets strangers through, or auth skipped by `satisfy any`, is told by the rule
          // that names the cause (nginx/allow-without-deny, web/access-check-bypassed), not twice.
          const allowAll = outcome.rules.findIndex((rule) => rule.allow && rule.everyone);
          const denyAfterAllowAll = allowAll >= 0 && outcome.rules.slice(allowAll + 1).some((rule) => !rule.allow);
          if (outcome.rules.some((rule) => rule.allow && !rule.everyone) || denyAfterAllowAll || (outcome.satisfyAny && outcome.auth)) continue;
          const location = outcome.location;
          // A protected prefix lost to a regex location is nginx/admin-restriction-bypassed-by-regex-location.
          if (location && (location.modifier === '~' || location.modifier === '~*') && bypassedPrefix(server, probe)) continue;
          const key = evidence === 'server' || !location ? server : location;
          if (reported.has(key)) continue;
          reported.add(key);
          const span = evidence !== 'server' && location ? headSpan(location.owner) : server.owner ? server.anchor : (server.directives[0]?.span ?? server.anchor);
          const where = location ? `location ${location.modifier ? `${location.modifier} ` : ''}${location.pattern}` : 'server';
          const insert = location && evidence !== 'server' ? insertAtBlockStart(config, location.owner, allowListLines(context.settings.trustedNetworks)) : undefined;
          report(
            span,
            { app: app.name, path: evidence === 'upstream' && location ? location.pattern : probe, where },
            { suggestions: insert ? [{ title: 'restrict', data: { app: app.name }, edits: [insert] }] : [] },
          );
        }
      }
    }
  },
});

/** True when a prefix location with access rules covers `path` but a regex location takes the request. */
export function bypassedPrefix(server: NginxServer, path: string): NginxLocation | undefined {
  const walk = (locations: NginxLocation[]): NginxLocation | undefined => {
    for (const location of locations) {
      if (location.modifier !== '' || !path.startsWith(location.pattern)) continue;
      const nested = walk(location.locations);
      if (nested) return nested;
      if (own(location, 'allow').length + own(location, 'deny').length + own(location, 'auth_basic').length + own(location, 'auth_request').length > 0) return location;
    }
    return undefined;
  };
  return walk(server.locations);
}
