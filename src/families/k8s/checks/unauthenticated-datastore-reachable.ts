// k8s/unauthenticated-datastore-reachable: a datastore container that lets clients in without credentials,
// behind a Service, reachable from every Pod of the cluster (no NetworkPolicy keeps them out) or from outside.
import { k8sModel } from '../formats';
import { type RelatedSpec, type TextRef, defineCheck, text } from '../../../core/check';
import type { Container, Manifests, ServicePort, Workload } from '../model';
import type { Container as DatastoreContainer, MountedFile } from '../../shared/datastore-auth';
import { AUTH_OFF_VARIABLES, type MountedConfigs, containerAuthentication } from '../../shared/datastores';
import { type WellKnown, wellKnownImage, wellKnownPort, wellKnownProgram } from '../../shared/well-known';
import { podReach, routesTo } from '../reachability';
import { describeExposure } from './exposure';
import { publicPart } from '../../../net';

/** The container as the datastore families read one: the last definition of a variable wins. */
function asDatastoreContainer(container: Container): DatastoreContainer {
  return {
    nameSpan: container.name?.span ?? container.span,
    ...(container.image ? { image: container.image } : {}),
    // The image's entrypoint gets `command` (replacing it) followed by `args`.
    command: [...container.command, ...container.args],
    env: (name) => {
      const variable = container.env.filter((candidate) => candidate.name === name).pop();
      if (!variable) return undefined;
      return { ...(variable.fromReference || variable.value === undefined ? {} : { value: variable.value }), span: variable.valueSpan ?? variable.nameSpan };
    },
  };
}

/** A configuration file the server reads that the manifest does not hold (a ConfigMap, a volume): its settings are unknown. */
function mountedConfigs(container: Container, kind: WellKnown['kind']): MountedConfigs {
  const args = [...container.command, ...container.args].map((arg) => arg.text);
  const unreadable = 'unreadable' as MountedFile<never> | 'unreadable';
  if (kind === 'redis' && args.some((arg) => /\.conf$/.test(arg))) return { redis: unreadable };
  if (kind === 'mongodb' && args.some((arg) => /^(--config|-f)(=|$)/.test(arg))) return { mongodb: unreadable };
  if (kind === 'elasticsearch' && container.mounts.some((mount) => /\/config(\/(elasticsearch|opensearch)\.yml)?\/?$/.test(mount.text)))
    return { elasticsearch: unreadable };
  return {};
}

function kindOf(container: Container): WellKnown | undefined {
  const known =
    (container.image ? wellKnownImage(container.image.text) : undefined) ?? (container.command[0] ? wellKnownProgram(container.command[0].text) : undefined);
  return known && known.kind !== 'admin-tool' && known.kind !== 'datastore' ? known : undefined;
}

/** The Service port leads to this container: its target names or numbers one of the container's ports, or the datastore's own. */
function leadsTo(port: ServicePort, container: Container, known: WellKnown): { containerPort: number; name?: string } | undefined {
  const target = port.targetPort ?? port.port;
  const declared = container.ports.find((candidate) => (typeof target === 'string' ? candidate.name === target : candidate.containerPort === target));
  if (declared?.containerPort !== undefined) return { containerPort: declared.containerPort, ...(declared.name ? { name: declared.name } : {}) };
  if (typeof target === 'number' && wellKnownPort(target)?.kind === known.kind) return { containerPort: target };
  return undefined;
}

const SWITCHES = new Set<TextRef>(AUTH_OFF_VARIABLES.map((variable) => variable.problem));

export const unauthenticatedDatastoreReachable = defineCheck<Manifests>({
  rule: 'k8s/unauthenticated-datastore-reachable',
  model: k8sModel,
  run(manifests, report) {
    const folder = manifests.folder;
    for (const workload of manifests.workloads as Workload[])
      for (const container of workload.containers) {
        if (container.init) continue;
        const known = kindOf(container);
        if (!known) continue;
        const verdict = containerAuthentication(known.kind, asDatastoreContainer(container), mountedConfigs(container, known.kind));
        // Switches in the environment (POSTGRES_HOST_AUTH_METHOD=trust, ...) are k8s/datastore-default-credentials'.
        const evidence = verdict.open === 'yes' ? verdict.evidence.filter((item) => !SWITCHES.has(item.reason)) : [];
        if (!evidence.length) continue;
        let finding: { reach: TextRef; beyond: boolean; related: RelatedSpec[] } | undefined;
        for (const route of routesTo(folder, workload))
          for (const port of route.service.ports) {
            const target = leadsTo(port, container, known);
            if (!target) continue;
            const reach = podReach(folder, workload, target);
            const service = route.service.meta.name?.text ?? text('k8s.unnamed-service');
            const portText = String(port.port ?? port.targetPort ?? '?');
            // Published beyond the cluster, and the policies (if any) let public addresses in: ipBlocks are address sets.
            const outside = (route.exposure || route.ingress) && !publicPart(reach.external).isEmpty();
            const related: RelatedSpec[] = [];
            let what: TextRef | undefined;
            if (outside && route.exposure) {
              what = text('k8s.reach-beyond-service', { service, port: portText, how: describeExposure(route.exposure) });
              related.push({
                span: route.exposure.how === 'externalIPs' ? route.exposure.address.span : route.exposure.type.span,
                message: text('k8s.reach-published-here'),
              });
            } else if (outside && route.ingress) {
              what = text('k8s.reach-beyond-ingress', { service, ingress: route.ingress.name });
              related.push({ span: route.ingress.span, message: text('k8s.reach-ingress-routes-here') });
            } else if (reach.everyPod)
              what = reach.openedBy
                ? text('k8s.reach-every-pod-policy', { service, port: portText, policy: reach.openedBy.policy.meta.name?.text ?? '' })
                : text('k8s.reach-every-pod', { service, port: portText });
            if (!what) continue;
            related.push({ span: port.span, message: text('k8s.reach-service-port', { service, port: portText }) });
            if (reach.openedBy) related.push({ span: reach.openedBy.rule.span, message: text('k8s.reach-policy-rule') });
            const beyond = Boolean(outside);
            if (!finding || (beyond && !finding.beyond)) finding = { reach: what, beyond, related };
          }
        if (!finding) continue;
        const [first, ...others] = evidence;
        report(
          first!.span,
          { what: known.label, workload: workload.meta.name?.text ?? '', reason: first!.reason, reach: finding.reach },
          {
            severity: finding.beyond ? 'error' : 'warning',
            related: [...finding.related, ...others.map((item) => ({ span: item.span, message: item.reason }))],
          },
        );
      }
  },
});
