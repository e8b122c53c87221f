import { k8sModel } from '../formats';
import { defineCheck, type FixSpec, text } from '../../../core/check';
import type { Manifests } from '../formats';
import { type ExposedDatastore, describeExposure, exposedDatastores, rangeProblems } from './exposure';

function toClusterIp(exposed: ExposedDatastore): FixSpec[] {
  if (exposed.exposure.how === 'externalIPs' || exposed.service.externalIPs.length) return [];
  return [{ title: 'clusterIp', edits: [{ span: exposed.exposure.type.span, newText: 'ClusterIP' }] }];
}

export const serviceExposesDatastorePort = defineCheck<Manifests>({
  rule: 'k8s/service-exposes-datastore-port',
  model: k8sModel,
  run(manifests, report, context) {
    for (const exposed of exposedDatastores(manifests)) {
      const { service, exposure, ports } = exposed;
      const name = service.meta.name?.text ?? text('k8s.unnamed-service');
      const how = describeExposure(exposure);
      const ranges = service.loadBalancerSourceRanges;
      if (exposure.how === 'LoadBalancer' && ranges && ranges.entries.length > 0) {
        // The ranges are the gate: report the entries that do not close it, once for all datastore ports.
        const what = [...new Set(ports.map(({ known }) => known.label))].join(', ');
        const numbers = ports.map(({ port }) => String(port.port ?? port.targetPort ?? '?')).join(', ');
        for (const { entry, problem, intended } of rangeProblems(ranges.entries, context.trusted))
          report(
            entry.span,
            { service: name, port: numbers, what, how, problem },
            { suggestions: intended ? [{ title: 'intended', data: { range: intended }, edits: [{ span: entry.span, newText: intended }] }] : [] },
          );
        continue;
      }
      // kube-proxy filters by loadBalancerSourceRanges only traffic addressed to the load balancer's IP.
      const problem =
        exposure.how === 'LoadBalancer'
          ? text('k8s.no-source-ranges')
          : exposure.how === 'NodePort'
            ? text('k8s.node-port-unfiltered')
            : text('k8s.external-ip-unfiltered');
      // The finding sits on what the user must change (the type, or the external address); the ports are related.
      const anchor = exposure.how === 'externalIPs' ? exposure.address.span : exposure.type.span;
      const what = [...new Set(ports.map(({ known }) => known.label))].join(', ');
      const numbers = ports.map(({ port }) => String(port.port ?? port.targetPort ?? '?')).join(', ');
      report(
        anchor,
        { service: name, port: numbers, what, how, problem },
        {
          suggestions: toClusterIp(exposed),
          related: ports.map(({ port, known }) => ({
            span: port.span,
            message: text('k8s.port-leads-to', { port: String(port.port ?? port.targetPort ?? '?'), what: known.label }),
          })),
        },
      );
    }
  },
});
