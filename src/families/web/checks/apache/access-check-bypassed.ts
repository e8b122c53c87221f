import { apacheModel } from '../../apache/index';
import { defineCheck } from '../../../../core/check';
import type { ApacheConfig } from '../../apache/model';
import type { ApacheDirective } from '../../apache/syntax';

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
        report(granted.span, { reason: { en: 'Require lines side by side mean "any of them", so `Require all granted` admits everyone and the other Require lines never matter', ja: '並べた Require 行は「いずれか」を意味するため、`Require all granted` で全員が許可され、他の Require 行は意味を持ちません' } }, {
          suggestions: [{ title: 'removeGranted', edits: [{ span: lineSpan(config, granted), newText: '' }] }],
        });
      const satisfy = section.directives.find((d) => d.lower === 'satisfy' && d.args[0]?.value.toLowerCase() === 'any');
      const allowAll = section.directives.find((d) => d.lower === 'allow' && d.args.slice(1).some((a) => a.value.toLowerCase() === 'all'));
      if (satisfy && allowAll && section.directives.some((d) => d.lower === 'require' && AUTH.test(d.args[0]?.value ?? '')))
        report(satisfy.span, { reason: { en: '`Satisfy Any` with `Allow from all` lets every client in without the password', ja: '`Satisfy Any` と `Allow from all` の組み合わせでは、パスワードなしで全員が入れます' } }, {
          suggestions: [{ title: 'satisfyAll', edits: [{ span: satisfy.args[0]!.span, newText: 'All' }] }],
        });
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
