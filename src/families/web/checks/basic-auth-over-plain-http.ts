// web/basic-auth-over-plain-http: nginx asks for a password with HTTP basic authentication on a listener
// that speaks plain HTTP, so the password crosses the network readable by anyone on the path.
import { nginxModel } from '../nginx/index';
import { type RelatedSpec, defineCheck, text } from '../../../core/check';
import type { NginxConfig, NginxContext, NginxLocation, NginxServer } from '../nginx/model';
import { contextOf, effectiveDirective, effectiveGroup, inheritanceChain, own } from '../nginx/model';
import { STRANGER, accessRules, firstMatch } from '../nginx/request';
import type { NginxDirective } from '../nginx/syntax';

/** `return 301 https://...` or `rewrite ... https://...`: answered in the rewrite phase, before any password is asked. */
function redirectsToHttps(directive: NginxDirective): boolean {
  const target = directive.name === 'return' ? directive.args[directive.args.length - 1]?.value : directive.args[1]?.value;
  return (directive.name === 'return' || directive.name === 'rewrite') && /^https:\/\//i.test(target ?? '');
}

/** An `if` that is true exactly for plain HTTP requests: ($scheme = http), ($scheme != https), ($https = ''). */
function plainHttpCondition(directive: NginxDirective): boolean {
  const words = directive.args.map((arg) => arg.value.replace(/^\(|\)$/g, '')).filter((word) => word !== '');
  const [variable, operator, value] = words;
  if (variable === '$scheme') return (operator === '=' && value === 'http') || (operator === '!=' && value === 'https');
  if (variable === '$https') return (operator === '=' && (value === '' || value === undefined)) || (operator === '!=' && value === 'on');
  return words.length === 1 && words[0] === '!$https';
}

/** Plain HTTP requests are sent to https:// before the access phase, in this context or its server. */
function plainHttpRedirected(context: NginxContext): boolean {
  const answers = [...own(context, 'return'), ...own(context, 'rewrite')].sort((a, b) => a.span.start - b.span.start);
  if (answers[0] && redirectsToHttps(answers[0])) return true;
  return context.directives.some(
    (directive) =>
      directive.name === 'if' &&
      directive.block &&
      plainHttpCondition(directive) &&
      (contextOf(directive) ? [...own(contextOf(directive)!, 'return'), ...own(contextOf(directive)!, 'rewrite')].some(redirectsToHttps) : false),
  );
}

/** Listeners that speak plain HTTP: no `ssl`/`quic` parameter and no `ssl on;` around them. */
function plainListens(server: NginxServer): NginxDirective[] {
  const sslOn = effectiveDirective(inheritanceChain(server), 'ssl')?.args[0]?.value === 'on';
  if (sslOn) return [];
  return server.listens
    .filter((listen) => listen.reachable && !listen.directive.args.some((arg) => arg.value === 'ssl' || arg.value === 'quic'))
    .map((listen) => listen.directive);
}

/** With `satisfy any`, clients the allow-list admits are never asked: `allow all` means nobody on the internet is. */
function nobodyAsked(context: NginxContext): boolean {
  const chain = inheritanceChain(context);
  if (effectiveDirective(chain, 'satisfy')?.args[0]?.value !== 'any') return false;
  return firstMatch(accessRules(effectiveGroup(chain, ['allow', 'deny']).directives), STRANGER)?.allow === true;
}

function locationsOf(locations: NginxLocation[]): NginxLocation[] {
  return locations.flatMap((location) => [location, ...locationsOf(location.locations)]);
}

export const basicAuthOverPlainHttpNginx = defineCheck<NginxConfig>({
  rule: 'web/basic-auth-over-plain-http',
  model: nginxModel,
  run(config, report) {
    for (const server of config.servers) {
      // A snippet without listen lines is included into servers this file does not show.
      if (server.implied && !server.listens.length) continue;
      const plain = plainListens(server);
      const defaultListen = server.listens.length === 0;
      if ((!plain.length && !defaultListen) || plainHttpRedirected(server)) continue;
      // Where a password is asked: the server (or http) level, and locations that switch it on themselves.
      const asks: NginxDirective[] = [];
      const serverAuth = effectiveDirective(inheritanceChain(server), 'auth_basic');
      if (serverAuth && serverAuth.args[0]?.value !== 'off' && !nobodyAsked(server)) asks.push(serverAuth);
      for (const location of locationsOf(server.locations)) {
        const auth = own(location, 'auth_basic').pop();
        if (auth && auth.args[0]?.value !== 'off' && location.modifier !== '@' && !plainHttpRedirected(location) && !nobodyAsked(location)) asks.push(auth);
      }
      if (!asks.length) continue;
      const anchor = plain[0]?.args[0]?.span ?? server.anchor;
      const related: RelatedSpec[] = asks.slice(0, 5).map((directive) => ({ span: directive.span, message: text('web.basic-auth.asks-here') }));
      report(anchor, { listen: plain[0]?.args[0]?.value ?? '80', realm: asks[0]!.args[0]?.value ?? '' }, { related });
    }
  },
});
