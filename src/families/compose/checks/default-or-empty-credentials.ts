import { composeModel } from '../formats';
import { type TextRef, defineCheck, text } from '../../../core/check';
import type { Severity } from '../../../core/types';
import type { ComposeProject, ComposeValue, EnvEntry } from '../formats';
import { serviceExposed } from './service-facts';
import { joinReasons } from './join-reasons';
import { PASSWORD_VARIABLE, USER_VARIABLE, passwordWeakness } from '../../shared/datastore-credentials';
import { authOffVariable } from '../../shared/datastores';

export const defaultOrEmptyCredentials = defineCheck<ComposeProject>({
  rule: 'compose/default-or-empty-credentials',
  model: composeModel,
  run(project, report) {
    for (const service of project.services) {
      const exposed = serviceExposed(service);
      const users = service.environment.filter((variable) => USER_VARIABLE.test(variable.name) && variable.value).map((variable) => variable.value!);
      // Values from env_file: no format reads env files, so they are reported at the compose file's
      // env_file entry (one finding per entry), pointing at each line of the env file.
      const fromEnvFiles = new Map<ComposeValue, { variable: EnvEntry; problem: TextRef; severity: Severity }[]>();
      for (const variable of service.environment) {
        const at = variable.envFile ?? variable;
        if (at.span.file !== project.source.path) continue;
        const problem = credentialProblem(variable, service.environment, users, exposed);
        if (!problem) continue;
        if (variable.envFile) {
          fromEnvFiles.set(variable.envFile, [...(fromEnvFiles.get(variable.envFile) ?? []), { variable, ...problem }]);
          continue;
        }
        if (problem.authOff) {
          report(variable.span, { name: variable.name, problem: problem.problem, fallback: '' }, { severity: 'warning' });
          continue;
        }
        const source = variable.defaulted[0] ?? variable.name;
        const reference = `\${${source}:?set ${source} in .env}`;
        report(
          variable.span,
          {
            name: variable.name,
            problem: problem.problem,
            fallback: variable.defaulted.length ? text('compose.fallback-when-unset', { variable: source }) : '',
          },
          {
            severity: problem.severity,
            suggestions: [
              {
                title: 'fromEnv',
                data: { variable: source },
                edits: [{ span: variable.span, newText: variable.form === 'map' ? `"${reference}"` : reference }],
              },
            ],
          },
        );
      }
      for (const [envFile, found] of fromEnvFiles) {
        const notes = found.map(({ variable, problem }) => ({
          span: variable.span,
          message: text('compose.variable-problem', { name: variable.name, problem }),
        }));
        const single = found.length === 1 ? found[0]! : undefined;
        report(
          envFile.span,
          {
            name: single ? text('compose.variable-in-env-file', { name: single.variable.name, file: envFile.text }) : envFile.text,
            problem: single ? single.problem : joinReasons(notes.map((note) => note.message)),
            fallback: '',
          },
          { severity: found.some(({ severity }) => severity === 'error') ? 'error' : 'warning', related: notes },
        );
      }
    }
  },
});

function credentialProblem(
  variable: EnvEntry,
  environment: EnvEntry[],
  users: string[],
  exposed: boolean,
): { problem: TextRef; severity: Severity; authOff: boolean } | undefined {
  const authOff = authOffVariable(variable.name, variable.value, (other) => environment.find((candidate) => candidate.name === other)?.value);
  // Exposed and unauthenticated: compose/datastore-auth-disabled reports both in one finding.
  if (authOff) return exposed ? undefined : { problem: authOff.problem, severity: 'warning', authOff: true };
  if (!PASSWORD_VARIABLE.test(variable.name) || variable.value === undefined || variable.value === '') return undefined;
  const problem = passwordWeakness(variable.value, users);
  return problem ? { problem, severity: exposed ? 'error' : 'warning', authOff: false } : undefined;
}
