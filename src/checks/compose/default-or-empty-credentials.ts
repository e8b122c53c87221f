import { defineCheck } from '../../core/check';
import type { ComposeProject } from '../../formats/compose';
import { serviceExposed } from './service-facts';
import { PASSWORD_VARIABLE, USER_VARIABLE, authOffVariable, passwordWeakness } from '../shared/datastore-credentials';

export const defaultOrEmptyCredentials = defineCheck<ComposeProject>({
  rule: 'compose/default-or-empty-credentials',
  model: 'compose',
  run(project, report) {
    for (const service of project.services) {
      const exposed = serviceExposed(service);
      const users = service.environment.filter((variable) => USER_VARIABLE.test(variable.name) && variable.value).map((variable) => variable.value!);
      for (const variable of service.environment) {
        if (variable.span.file !== project.source.path) continue;
        const authOff = authOffVariable(variable.name, variable.value, (other) => service.environment.find((candidate) => candidate.name === other)?.value);
        if (authOff) {
          // Exposed and unauthenticated: compose/datastore-auth-disabled reports both in one finding.
          if (exposed) continue;
          report(variable.span, { name: variable.name, problem: authOff.problem, fallback: { en: '', ja: '' } }, { severity: 'warning' });
          continue;
        }
        if (!PASSWORD_VARIABLE.test(variable.name) || variable.value === undefined || variable.value === '') continue;
        const problem = passwordWeakness(variable.value, users);
        if (!problem) continue;
        const source = variable.defaulted[0] ?? variable.name;
        const reference = `\${${source}:?set ${source} in .env}`;
        report(
          variable.span,
          {
            name: variable.name,
            problem,
            fallback: variable.defaulted.length
              ? { en: ` (the fallback used when ${source} is not set)`, ja: `（${source} が未設定のときに使われる既定値）` }
              : { en: '', ja: '' },
          },
          {
            severity: exposed ? 'error' : 'warning',
            suggestions: [{ title: 'fromEnv', data: { variable: source }, edits: [{ span: variable.span, newText: variable.form === 'map' ? `"${reference}"` : reference }] }],
          },
        );
      }
    }
  },
});
