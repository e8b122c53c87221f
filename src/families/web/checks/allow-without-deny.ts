// nginx/allow-without-deny: allow lines with no `deny all` after them restrict nobody.
import { nginxModel } from '../nginx/index';
import { defineCheck, text } from '../../../core/check';
import type { NginxConfig, NginxContext } from '../nginx/model';
import type { NginxDirective } from '../nginx/syntax';
import { contextRules } from '../nginx/request';
import { insertAfter } from './support/nginx-edits';

// ngx_http_access_module: the rules are checked in order and a client no rule matches is let in. A context with
// allow lines but no deny afterwards restricts nothing, and it stops inheriting the parent's `deny all`.
export const allowWithoutDeny = defineCheck<NginxConfig>({
  rule: 'nginx/allow-without-deny',
  model: nginxModel,
  run(config, report) {
    for (const context of config.contexts()) {
      const rules = contextRules(context);
      const allows = rules.filter((rule) => rule.allow && !rule.everyone);
      if (!allows.length) continue;
      if (rules.some((rule) => !rule.allow && rule.everyone)) continue;
      if (rules.some((rule) => rule.allow && rule.everyone)) continue; // `allow all`: web/access-check-bypassed
      const last = allows[allows.length - 1]!.directive;
      const parentDeny = findParentDeny(context);
      report(
        allows[0]!.directive.span,
        {
          inherited: parentDeny ? text('web.nginx.enclosing-deny-not-inherited') : '',
        },
        {
          suggestions: [{ title: 'addDeny', edits: [insertAfter(config, last, ['deny all;'])] }],
          ...(parentDeny ? { related: [{ span: parentDeny.span, message: text('web.nginx.not-inherited-here') }] } : {}),
        },
      );
    }
  },
});

function findParentDeny(context: NginxContext): NginxDirective | undefined {
  for (let current = context.parent; current; current = current.parent) {
    const deny = current.directives.find((d) => !d.block && d.name === 'deny' && d.args[0]?.value === 'all');
    if (deny) return deny;
  }
  return undefined;
}
