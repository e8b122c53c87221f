import { apacheModel } from '../../apache/index';
import { defineCheck } from '../../../../core/check';
import type { EditSpec } from '../../../../core/check';
import type { ApacheConfig, ApacheScope } from '../../apache/model';
import type { ApacheDirective } from '../../apache/syntax';
import { accessFor, sectionVerdict } from '../../apache/access';
import { ADMIN_APPS } from '../paths';

// An admin application mapped into a site (Alias /phpmyadmin, <Location /manager>, <Directory /usr/share/phpmyadmin>)
// whose merged access is "everyone": nothing but the application's own login stands in the way.
function lineIndent(config: ApacheConfig, directive: ApacheDirective): string {
  const source = config.sources.get(directive.span.file);
  return source ? /^[ \t]*/.exec(source.lineText(source.positionAt(directive.span.start).line))![0] : '';
}

function allowList(trusted: string[]): string {
  return `Require ip ${(trusted.length ? trusted : ['192.168.0.0/16']).join(' ')}`;
}

export const adminPathUnrestrictedApache = defineCheck<ApacheConfig>({
  rule: 'web/admin-path-unrestricted',
  model: apacheModel,
  run(config, report, context) {
    const reported = new Set<ApacheDirective>();
    const flag = (span: ApacheDirective, data: { app: string; path: string }, edit?: EditSpec) => {
      if (reported.has(span)) return;
      reported.add(span);
      report(span.span, { ...data, where: '' }, { suggestions: edit ? [{ title: 'restrict', data: { app: data.app }, edits: [edit] }] : [] });
    };
    for (const scope of config.scopes as ApacheScope[]) {
      for (const alias of scope.directives.filter((d) => (d.lower === 'alias' || d.lower === 'scriptalias') && d.args.length >= 2)) {
        const url = alias.args[0]!.value;
        const app = ADMIN_APPS.find((candidate) => candidate.marker.test(url) || candidate.marker.test(alias.args[1]!.value));
        if (!app) continue;
        const probe = url.endsWith('/') ? url : `${url}/`;
        const access = accessFor(config, scope, probe);
        if (access.verdict !== 'granted' && access.verdict !== 'unknown') continue;
        // The grant is only edited where it is the application's own section; a wider one (<Directory /usr/share>)
        // stays, and a <Location> for the alias narrows it instead.
        const own = access.decidingSection && app.marker.test(access.decidingSection.pattern) && access.decidingSection.directive.span.file === alias.span.file;
        const at = own && access.decidingDirective && access.verdict === 'granted' ? access.decidingDirective : alias;
        const indent = lineIndent(config, alias);
        const edit: EditSpec =
          at === alias
            ? { span: { file: alias.span.file, start: alias.span.end, end: alias.span.end }, newText: `\n${indent}<Location ${url}>\n${indent}    ${allowList(context.settings.trustedNetworks)}\n${indent}</Location>` }
            : { span: at.span, newText: allowList(context.settings.trustedNetworks) };
        flag(at, { app: app.name, path: url }, edit);
      }
      for (const section of scope.sections) {
        if (section.kind !== 'directory' && section.kind !== 'location') continue;
        const app = ADMIN_APPS.find((candidate) => candidate.marker.test(section.pattern) && candidate.name !== 'admin screen');
        const locationApp = section.kind === 'location' ? ADMIN_APPS.find((candidate) => candidate.marker.test(section.pattern)) : undefined;
        const chosen = app ?? locationApp;
        if (!chosen) continue;
        // Require lines that try to restrict but are overruled are web/access-check-bypassed.
        if (section.directives.some((d) => d.lower === 'require' && d.args[0]?.value.toLowerCase() !== 'all')) continue;
        const verdict = sectionVerdict(section);
        if (verdict?.verdict !== 'granted' || !verdict.decidingDirective) continue;
        const deciding = verdict.decidingDirective;
        flag(deciding, { app: chosen.name, path: section.pattern }, deciding.lower === 'require' ? { span: deciding.span, newText: allowList(context.settings.trustedNetworks) } : undefined);
      }
    }
  },
});
