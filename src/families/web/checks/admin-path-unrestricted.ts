// web/admin-path-unrestricted: an admin screen (CMS, database tool, Tomcat manager) that anyone can open,
// in nginx and in Apache.
import { nginxModel } from '../nginx/index';
import { apacheModel } from '../apache/index';
import { defineCheck, text } from '../../../core/check';
import type { EditSpec, RelatedSpec, TextRef } from '../../../core/check';
import type { NginxConfig, NginxContext, NginxLocation, NginxServer } from '../nginx/model';
import { effectiveDirective, inheritanceChain, own } from '../nginx/model';
import { resolveRequest, verdictFor } from '../nginx/request';
import type { ApacheConfig } from '../apache/model';
import type { ApacheDirective } from '../apache/syntax';
import { accessFor, sectionVerdict } from '../apache/access';
import { allowListLines, headSpan, insertAtBlockStart } from './support/nginx-edits';
import { isReachable } from './support/nginx-servers';
import { ADMIN_APPS, type AdminApp } from './paths';
import { withoutTrailingSlashes } from '../../shared/names';

// servesApp depends on the serving context and the application only: many probes land in the same context.
const servedApps = new WeakMap<NginxServer | NginxLocation, Map<AdminApp, ReturnType<typeof servesAppUncached>>>();

/** Where the configuration says this server (or this location) runs the application; once per context and app. */
function servesApp(server: NginxServer, location: NginxLocation | undefined, app: AdminApp): 'location' | 'upstream' | 'server' | undefined {
  const context = location ?? server;
  let byApp = servedApps.get(context);
  if (!byApp) servedApps.set(context, (byApp = new Map()));
  if (byApp.has(app)) return byApp.get(app);
  const evidence = servesAppUncached(server, location, app);
  byApp.set(app, evidence);
  return evidence;
}

/** What servesAppUncached tests a marker against: the text of a `*_pass` value it reads, or the whole value. */
function servedTarget(name: string, value: string): string {
  return name.endsWith('_pass') ? value.replace(/^\w+:\/\//, '').split(/[:/]/)[0]! : value;
}

const SERVING_DIRECTIVES = ['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'root', 'alias'];

/**
 * Every text servesApp could test a marker against for some request to `server`: its locations' patterns, the
 * serving directives of the server, its locations and the contexts above it, and its names. An application no
 * text names is served nowhere in the server, so its probes need not be resolved (most servers run none of them).
 */
const servingTexts = new WeakMap<NginxServer, string[]>();
function mayServe(server: NginxServer, app: AdminApp): boolean {
  let texts = servingTexts.get(server);
  if (!texts) {
    texts = server.names.map((name) => name.split('.')[0] ?? '');
    const contexts: NginxContext[] = inheritanceChain(server);
    const locations = [...server.locations];
    for (let index = 0; index < locations.length; index++) {
      const location = locations[index]!;
      texts.push(location.pattern);
      contexts.push(location);
      locations.push(...location.locations);
    }
    for (const context of contexts)
      for (const directive of context.directives)
        if (SERVING_DIRECTIVES.includes(directive.name)) texts.push(servedTarget(directive.name, directive.args[0]?.value ?? ''));
    servingTexts.set(server, texts);
  }
  return texts.some((text) => app.marker.test(text));
}

function servesAppUncached(server: NginxServer, location: NginxLocation | undefined, app: AdminApp): 'location' | 'upstream' | 'server' | undefined {
  if (location && location.modifier !== '' && app.marker.test(location.pattern)) return 'location';
  if (location && location.modifier === '' && location.pattern !== '/' && app.marker.test(location.pattern)) return 'location';
  const chain = inheritanceChain(location ?? server);
  for (const name of SERVING_DIRECTIVES) {
    const directive = effectiveDirective(chain, name);
    const value = directive?.args[0]?.value ?? '';
    const target = servedTarget(name, value);
    if (directive && app.marker.test(target)) return name.endsWith('_pass') && location ? 'upstream' : 'server';
  }
  if (server.names.some((name) => app.marker.test(name.split('.')[0] ?? ''))) return 'server';
  return undefined;
}

export const adminPathUnrestrictedNginx = defineCheck<NginxConfig>({
  rule: 'web/admin-path-unrestricted',
  model: nginxModel,
  run(config, report, context) {
    for (const server of config.servers) {
      if (!isReachable(server)) continue;
      const reported = new Set<unknown>();
      for (const app of ADMIN_APPS) {
        if (!mayServe(server, app)) continue;
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
          const span =
            evidence !== 'server' && location ? headSpan(location.owner) : server.owner ? server.anchor : (server.directives[0]?.span ?? server.anchor);
          const where = location ? `location ${location.modifier ? `${location.modifier} ` : ''}${location.pattern}` : 'server';
          const insert =
            location && evidence !== 'server' ? insertAtBlockStart(config, location.owner, allowListLines(context.settings.trustedNetworks)) : undefined;
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
function bypassedPrefix(server: NginxServer, path: string): NginxLocation | undefined {
  const walk = (locations: NginxLocation[]): NginxLocation | undefined => {
    for (const location of locations) {
      if (location.modifier !== '' || !path.startsWith(location.pattern)) continue;
      const nested = walk(location.locations);
      if (nested) return nested;
      if (own(location, 'allow').length + own(location, 'deny').length + own(location, 'auth_basic').length + own(location, 'auth_request').length > 0)
        return location;
    }
    return undefined;
  };
  return walk(server.locations);
}

// An admin application mapped into a site (Alias /phpmyadmin, <Location /manager>, <Directory /usr/share/phpmyadmin>)
// whose merged access is "everyone": nothing but the application's own login stands in the way.
function lineIndent(config: ApacheConfig, directive: ApacheDirective): string {
  const source = config.sources.get(directive.span.file);
  return source ? /^[ \t]*/.exec(source.lineText(source.positionAt(directive.span.start).line))![0] : '';
}

function allowList(trusted: string[]): string {
  return `Require ip ${(trusted.length ? trusted : ['192.168.0.0/16']).join(' ')}`;
}

/** Alias and DocumentRoot lines (any scope) that map URLs into `folder`: the ways a visitor reaches it. */
function mappingsInto(config: ApacheConfig, folder: string): ApacheDirective[] {
  const base = withoutTrailingSlashes(folder);
  const inside = (path: string | undefined) => path !== undefined && (withoutTrailingSlashes(path) === base || path.startsWith(`${base}/`));
  return config.scopes.flatMap((scope) =>
    scope.directives.filter(
      (d) => ((d.lower === 'alias' || d.lower === 'scriptalias') && inside(d.args[1]?.value)) || (d.lower === 'documentroot' && inside(d.args[0]?.value)),
    ),
  );
}

export const adminPathUnrestrictedApache = defineCheck<ApacheConfig>({
  rule: 'web/admin-path-unrestricted',
  model: apacheModel,
  run(config, report, context) {
    // One finding per deciding line, on the line to change; the aliases and document roots that lead to it are related.
    const pending = new Map<ApacheDirective, { data: { app: TextRef; path: string }; edit?: EditSpec; related: RelatedSpec[] }>();
    const flag = (at: ApacheDirective, data: { app: TextRef; path: string }, edit?: EditSpec, related: RelatedSpec[] = []) => {
      const known = pending.get(at);
      if (known) known.related.push(...related.filter((item) => !known.related.some((other) => other.span.start === item.span.start)));
      else pending.set(at, { data, ...(edit ? { edit } : {}), related: [...related] });
    };
    for (const scope of config.scopes) {
      for (const alias of scope.directives.filter((d) => (d.lower === 'alias' || d.lower === 'scriptalias') && d.args.length >= 2)) {
        const url = alias.args[0]!.value;
        const app = ADMIN_APPS.find((candidate) => candidate.marker.test(url) || candidate.marker.test(alias.args[1]!.value));
        if (!app) continue;
        const probe = url.endsWith('/') ? url : `${url}/`;
        const access = accessFor(config, scope, probe);
        if (access.verdict !== 'granted' && access.verdict !== 'unknown') continue;
        // The grant is edited where it is the application's own section (in whichever file); a wider one
        // (<Directory /usr/share>) stays, and a <Location> for the alias narrows it instead.
        const own = access.decidingSection && app.marker.test(access.decidingSection.pattern);
        const at = own && access.decidingDirective && access.verdict === 'granted' ? access.decidingDirective : alias;
        const indent = lineIndent(config, alias);
        const edit: EditSpec =
          at === alias
            ? {
                span: { file: alias.span.file, start: alias.span.end, end: alias.span.end },
                newText: `\n${indent}<Location ${url}>\n${indent}    ${allowList(context.settings.trustedNetworks)}\n${indent}</Location>`,
              }
            : { span: at.span, newText: allowList(context.settings.trustedNetworks) };
        flag(at, { app: app.name, path: url }, edit, at === alias ? [] : [{ span: alias.span, message: text('web.admin-path.mapped-here', { path: url }) }]);
      }
      for (const section of scope.sections) {
        if (section.kind !== 'directory' && section.kind !== 'location') continue;
        const app = ADMIN_APPS.find((candidate) => candidate.marker.test(section.pattern) && candidate.id !== 'admin');
        const locationApp = section.kind === 'location' ? ADMIN_APPS.find((candidate) => candidate.marker.test(section.pattern)) : undefined;
        const chosen = app ?? locationApp;
        if (!chosen) continue;
        // Require lines that try to restrict but are overruled are web/access-check-bypassed.
        if (section.directives.some((d) => d.lower === 'require' && d.args[0]?.value.toLowerCase() !== 'all')) continue;
        const verdict = sectionVerdict(section);
        if (verdict?.verdict !== 'granted' || !verdict.decidingDirective) continue;
        const deciding = verdict.decidingDirective;
        const related: RelatedSpec[] =
          section.kind === 'directory'
            ? mappingsInto(config, section.pattern).map((mapping) => ({
                span: mapping.span,
                message:
                  mapping.lower === 'documentroot'
                    ? text('web.admin-path.document-root-here')
                    : text('web.admin-path.mapped-here', { path: mapping.args[0]?.value ?? '' }),
              }))
            : [];
        flag(
          deciding,
          { app: chosen.name, path: section.pattern },
          deciding.lower === 'require' ? { span: deciding.span, newText: allowList(context.settings.trustedNetworks) } : undefined,
          related,
        );
      }
    }
    for (const [at, { data, edit, related }] of pending)
      report(at.span, { ...data, where: '' }, { suggestions: edit ? [{ title: 'restrict', data: { app: data.app }, edits: [edit] }] : [], related });
  },
});
