import { k8sModel } from '../formats';
import { defineCheck, type FixSpec, type TextRef, text } from '../../../core/check';
import { podReach, routesTo } from '../reachability';
import type { EnvVar, Manifests, Workload } from '../formats';
import { PASSWORD_VARIABLE, USER_VARIABLE, passwordWeakness } from '../../shared/datastore-credentials';
import { authOffVariable } from '../../shared/datastores';
import { exposedDatastores, limitedBySourceRanges } from './exposure';

/** Replaces `value: literal` with a reference to a Secret the user creates (the key is the variable's name). */
function fromSecret(variable: EnvVar, workload: Workload): FixSpec[] {
  if (!variable.valuePairSpan) return [];
  const indent = ' '.repeat(variable.keyColumn);
  const secret = `${workload.meta.name?.text ?? 'datastore'}-credentials`;
  const key = variable.name.toLowerCase().replace(/_/g, '-');
  return [
    {
      title: 'fromSecret',
      data: { secret, key },
      edits: [{ span: variable.valuePairSpan, newText: `valueFrom:\n${indent}  secretKeyRef:\n${indent}    name: ${secret}\n${indent}    key: ${key}` }],
    },
  ];
}

/** " Every Pod of the cluster reaches it through Service x." when a Service selects it and no NetworkPolicy narrows that. */
function clusterScope(manifests: Manifests, workload: Workload): TextRef | '' {
  for (const route of routesTo(manifests.folder, workload)) {
    const port = route.service.ports[0];
    const target = typeof port?.targetPort === 'number' ? port.targetPort : port?.port;
    if (target !== undefined && podReach(manifests.folder, workload, { containerPort: target }).everyPod)
      return text('k8s.reachable-from-every-pod', { service: route.service.meta.name?.text ?? '' });
  }
  return '';
}

export const datastoreDefaultCredentials = defineCheck<Manifests>({
  rule: 'k8s/datastore-default-credentials',
  model: k8sModel,
  run(manifests, report, context) {
    // Pods behind a Service of the folder that reaches beyond the cluster without sound source ranges.
    const exposed = new Set(
      exposedDatastores(manifests, manifests.folder.services)
        .filter((entry) => !limitedBySourceRanges(entry, context.trusted))
        .flatMap((entry) => entry.workloads),
    );
    for (const workload of manifests.workloads)
      for (const container of workload.containers) {
        // The last definition of a name wins; a Secret reference counts as set (its value is not in the file).
        const lookup = (name: string) => {
          const variable = container.env.filter((candidate) => candidate.name === name).pop();
          return variable?.fromReference ? '(from a reference)' : variable?.value;
        };
        const users = container.env.filter((variable) => USER_VARIABLE.test(variable.name) && variable.value).map((variable) => variable.value!);
        const severity = exposed.has(workload) ? 'error' : 'warning';
        const scope = exposed.has(workload) ? text('k8s.exposed-beyond-cluster') : clusterScope(manifests, workload);
        for (const variable of container.env) {
          if (variable.fromReference || variable.value === undefined || !variable.valueSpan) continue;
          const authOff = authOffVariable(variable.name, variable.value, lookup);
          if (authOff) {
            report(variable.valueSpan, { name: variable.name, problem: authOff.problem, scope }, { severity });
            continue;
          }
          // An empty password stops the official images at start-up unless an ALLOW_EMPTY variable is set (reported above).
          if (!PASSWORD_VARIABLE.test(variable.name) || variable.value === '') continue;
          const problem = passwordWeakness(variable.value, users);
          if (problem) report(variable.valueSpan, { name: variable.name, problem, scope }, { severity, suggestions: fromSecret(variable, workload) });
        }
      }
  },
});
