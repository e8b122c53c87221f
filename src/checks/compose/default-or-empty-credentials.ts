import { defineCheck } from '../../core/check';
import type { ComposeProject, EnvEntry } from '../../formats/compose';
import { AUTH_OFF_VARIABLES, serviceExposed } from './service-facts';

const PASSWORD_VARIABLE = /(^|_)(PASSWORD|PASSWD|PASS|PWD)$/i;
const USER_VARIABLE = /(^|_)(USER|USERNAME)$/i;
const COMMON = new Set(['password', 'passw0rd', 'password1', 'root', 'admin', 'admin123', 'administrator', 'example', 'secret', 'changeme', 'change_me', 'test', 'postgres', 'mysql', 'mariadb', 'redis', 'mongo', 'elastic', 'guest', 'minioadmin', 'letmein', 'qwerty', '123456', '1234567', '12345678', '123456789']);
const MIN_LENGTH = 8;

function weakness(variable: EnvEntry, users: string[]) {
  const value = variable.value!;
  if (COMMON.has(value.toLowerCase())) return { en: `"${value}" is a default or commonly guessed password`, ja: `"${value}" は既定値やよく推測されるパスワードです` };
  if (users.includes(value)) return { en: 'it is the same as the user name', ja: 'ユーザ名と同じです' };
  if (value.length < MIN_LENGTH) return { en: `it has only ${value.length} characters`, ja: `${value.length} 文字しかありません` };
  return undefined;
}

export const defaultOrEmptyCredentials = defineCheck<ComposeProject>({
  rule: 'compose/default-or-empty-credentials',
  model: 'compose',
  run(project, report) {
    for (const service of project.services) {
      const exposed = serviceExposed(service);
      const users = service.environment.filter((variable) => USER_VARIABLE.test(variable.name) && variable.value).map((variable) => variable.value!);
      for (const variable of service.environment) {
        if (variable.span.file !== project.source.path) continue;
        const authOff = AUTH_OFF_VARIABLES.find(([name, test]) => name === variable.name && test(variable.value, service));
        if (authOff) {
          // Exposed and unauthenticated: compose/datastore-auth-disabled reports both in one finding.
          if (exposed) continue;
          report(variable.span, { name: variable.name, problem: { en: authOff[2], ja: authOff[3] }, fallback: { en: '', ja: '' } }, { severity: 'warning' });
          continue;
        }
        if (!PASSWORD_VARIABLE.test(variable.name) || variable.value === undefined || variable.value === '') continue;
        const problem = weakness(variable, users);
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
