import { nginxModel } from '../nginx/index';
import { defineCheck } from '../../../core/check';
import type { NginxConfig, NginxContext } from '../nginx/model';
import { inheritanceChain, own } from '../nginx/model';
import { accessRules, resolveRequest, verdictFor, type RequestOutcome } from '../nginx/request';
import type { NginxDirective } from '../nginx/syntax';
import { removeDirective } from './nginx/edits';

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
    const rules = accessRules(own(chain[index]!, 'allow').concat(own(chain[index]!, 'deny')));
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
      const own = context.directives.filter((d) => !d.block);
      const rules = accessRules(own);
      const allowAll = rules.findIndex((rule) => rule.allow && rule.everyone);
      if (allowAll >= 0 && rules.slice(allowAll + 1).some((rule) => !rule.allow)) {
        const directive = rules[allowAll]!.directive;
        report(directive.span, { reason: { en: 'the deny lines after `allow all;` are never reached (the first matching rule wins)', ja: '`allow all;` の後の deny 行には到達しません（最初に一致した規則が適用されます）' } }, { suggestions: [{ title: 'removeAllowAll', edits: [removeDirective(config, directive)] }] });
      }
      const satisfy = own.find((d) => d.name === 'satisfy' && d.args[0]?.value === 'any');
      if (satisfy && allowAll >= 0) {
        const chain = inheritanceChain(context);
        if (chain.some((c) => c.directives.some((d) => (d.name === 'auth_basic' && d.args[0]?.value !== 'off') || d.name === 'auth_request')))
          report(satisfy.span, { reason: { en: '`satisfy any;` with `allow all;` lets every client in without the password', ja: '`satisfy any;` と `allow all;` の組み合わせでは、パスワードなしで全員が入れます' } }, { suggestions: [{ title: 'satisfyAll', edits: [{ span: satisfy.args[0]!.span, newText: 'all' }] }] });
      }
      if (context.kind !== 'location' && context.kind !== 'if') continue;
      if (!protectedContext(context)) continue;
      for (const directive of own) {
        if (directive.name === 'return' && returnsContent(directive))
          report(directive.span, { reason: { en: '`return` answers in the rewrite phase, before allow/deny and auth_basic are checked', ja: '`return` はリライトフェーズで応答するため、allow/deny や auth_basic の検査より先に実行されます' } });
        if (directive.name === 'rewrite' && directive.args[2]?.value === 'last') {
          const target = directive.args[1]?.value ?? '';
          if (!target.startsWith('/') || target.includes('$')) continue;
          const server = config.servers.find((s) => inheritanceChain(context).includes(s));
          if (!server) continue;
          const outcome = resolveRequest(server, target);
          if (!restricts(outcome) && verdictFor(outcome) === 'served')
            report(directive.span, { reason: { en: `\`rewrite ... last\` restarts the search with ${target}, which lands in a location without the restriction`, ja: `\`rewrite ... last\` は ${target} で location を選び直し、制限のない location に到達します` } });
        }
      }
    }
  },
});
