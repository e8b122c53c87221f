// web/access-check-bypassed: an access restriction that is written but never decides, in nginx and in Apache.
import { nginxModel } from '../nginx/index';
import { apacheModel } from '../apache/index';
import { defineCheck, text } from '../../../core/check';
import type { NginxConfig, NginxContext } from '../nginx/model';
import { inheritanceChain, own } from '../nginx/model';
import { contextRules, resolveRequest, verdictFor, type RequestOutcome } from '../nginx/request';
import type { NginxDirective } from '../nginx/syntax';
import type { ApacheConfig } from '../apache/model';
import type { ApacheDirective } from '../apache/syntax';
import { removeDirective } from './support/nginx-edits';

// Three ways an nginx access check never runs or never matters:
// - `allow all;` before a deny: the first matching rule wins, so the deny lines are dead;
// - `return 200`/text, or `rewrite ... last` to an unprotected location: the rewrite phase runs before the access phase;
// - `satisfy any;` with `allow all;`: the allow satisfies the request, so the password is never asked.
function restricts(outcome: RequestOutcome): boolean {
  return outcome.rules.some((rule) => !rule.allow) || outcome.auth !== undefined;
}

function protectedContext(context: NginxContext): boolean {
  const chain = inheritanceChain(context.kind === 'if' && context.parent ? context.parent : context);
  for (let index = chain.length - 1; index >= 0; index--) {
    const rules = contextRules(chain[index]!);
    if (rules.length) return rules.some((rule) => !rule.allow);
  }
  return chain.some((c) => own(c, 'auth_basic').some((d) => d.args[0]?.value !== 'off') || own(c, 'auth_request').length > 0);
}

function returnsContent(directive: NginxDirective): boolean {
  const first = directive.args[0]?.value ?? '';
  if (!/^\d{3}$/.test(first)) return !/^https?:\/\//.test(first) && directive.args.length > 0; // `return "text"` answers 200
  const code = Number(first);
  return code >= 200 && code < 300;
}

export const accessCheckBypassedNginx = defineCheck<NginxConfig>({
  rule: 'web/access-check-bypassed',
  model: nginxModel,
  run(config, report) {
    for (const context of config.contexts()) {
      const rules = contextRules(context);
      const allowAll = rules.findIndex((rule) => rule.allow && rule.everyone);
      if (allowAll >= 0 && rules.slice(allowAll + 1).some((rule) => !rule.allow)) {
        const directive = rules[allowAll]!.directive;
        report(
          directive.span,
          { reason: text('web.access-check-bypassed.allow-all-first') },
          { suggestions: [{ title: 'removeAllowAll', edits: [removeDirective(config, directive)] }] },
        );
      }
      const satisfy = own(context, 'satisfy').find((d) => d.args[0]?.value === 'any');
      if (satisfy && allowAll >= 0) {
        const chain = inheritanceChain(context);
        if (chain.some((c) => c.directives.some((d) => (d.name === 'auth_basic' && d.args[0]?.value !== 'off') || d.name === 'auth_request')))
          report(
            satisfy.span,
            { reason: text('web.access-check-bypassed.satisfy-any-allow-all') },
            { suggestions: [{ title: 'satisfyAll', edits: [{ span: satisfy.args[0]!.span, newText: 'all' }] }] },
          );
      }
      if (context.kind !== 'location' && context.kind !== 'if') continue;
      if (!protectedContext(context)) continue;
      const answers = [...own(context, 'return'), ...own(context, 'rewrite')].sort((a, b) => a.span.start - b.span.start);
      for (const directive of answers) {
        if (directive.name === 'return' && returnsContent(directive))
          report(directive.span, { reason: text('web.access-check-bypassed.return-before-access') });
        if (directive.name === 'rewrite' && directive.args[2]?.value === 'last') {
          const target = directive.args[1]?.value ?? '';
          if (!target.startsWith('/') || target.includes('$')) continue;
          const server = config.servers.find((s) => inheritanceChain(context).includes(s));
          if (!server) continue;
          const outcome = resolveRequest(server, target);
          if (!restricts(outcome) && verdictFor(outcome) === 'served')
            report(directive.span, { reason: text('web.access-check-bypassed.rewrite-last', { target }) });
        }
      }
    }
  },
});

// mod_authz_core: Require lines side by side form an implicit <RequireAny>, so `Require all granted` next to
// `Require valid-user` lets everyone in. mod_access_compat: `Satisfy Any` with `Allow from all` does the same.
const AUTH = /^(valid-user|user|group|ldap-)/i;

function grantedBesideAuth(children: ApacheDirective[], any: boolean): ApacheDirective | undefined {
  const requires = children.filter((d) => d.lower === 'require');
  const granted = requires.find((d) => d.args[0]?.value.toLowerCase() === 'all' && d.args[1]?.value.toLowerCase() === 'granted');
  if (granted && any && requires.some((d) => AUTH.test(d.args[0]?.value ?? '') || d.args[0]?.value.toLowerCase() === 'ip')) return granted;
  for (const child of children) {
    if (child.lower === 'requireany') {
      const found = grantedBesideAuth(child.children ?? [], true);
      if (found) return found;
    }
    if (child.lower === 'requireall' || /^if/.test(child.lower)) {
      const found = grantedBesideAuth(child.children ?? [], child.lower !== 'requireall');
      if (found) return found;
    }
  }
  return undefined;
}

export const accessCheckBypassedApache = defineCheck<ApacheConfig>({
  rule: 'web/access-check-bypassed',
  model: apacheModel,
  run(config, report) {
    for (const section of config.allSections()) {
      const children = section.directive.children ?? [];
      const granted = grantedBesideAuth(children, true);
      if (granted)
        report(
          granted.span,
          { reason: text('web.access-check-bypassed.require-any-granted') },
          {
            suggestions: [{ title: 'removeGranted', edits: [{ span: lineSpan(config, granted), newText: '' }] }],
          },
        );
      const satisfy = section.directives.find((d) => d.lower === 'satisfy' && d.args[0]?.value.toLowerCase() === 'any');
      const allowAll = section.directives.find((d) => d.lower === 'allow' && d.args.slice(1).some((a) => a.value.toLowerCase() === 'all'));
      if (satisfy && allowAll && section.directives.some((d) => d.lower === 'require' && AUTH.test(d.args[0]?.value ?? '')))
        report(
          satisfy.span,
          { reason: text('web.access-check-bypassed.satisfy-any-allow-from-all') },
          {
            suggestions: [{ title: 'satisfyAll', edits: [{ span: satisfy.args[0]!.span, newText: 'All' }] }],
          },
        );
    }
  },
});

function lineSpan(config: ApacheConfig, directive: ApacheDirective) {
  const source = config.sources.get(directive.span.file);
  if (!source) return directive.span;
  const line = source.positionAt(directive.span.start).line;
  const end = line + 1 < source.lineCount ? source.lineStarts[line + 1]! : source.text.length;
  return { file: directive.span.file, start: source.lineStarts[line]!, end };
}
