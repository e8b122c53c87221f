import { defineCheck, type FixSpec } from '../../../core/check';
import type { Localized } from '../../../core/types';
import type { Manifests } from '../formats';
import { AddressSet } from '../../../net';
import { type ExposedDatastore, describeExposure, exposedDatastores, rangeProblems } from './exposure';

const NO_RANGES: Localized = { en: 'no loadBalancerSourceRanges limit who may connect, so it is reachable from the internet', ja: 'loadBalancerSourceRanges で接続元が制限されておらず、インターネットから到達できます' };
// kube-proxy filters by loadBalancerSourceRanges only traffic addressed to the load balancer's IP.
const UNFILTERED_NODE_PORT: Localized = { en: 'loadBalancerSourceRanges does not apply to NodePorts, so any host that reaches a node reaches the datastore', ja: 'NodePort には loadBalancerSourceRanges が適用されないため、ノードに届くホストはすべてデータストアに接続できます' };
const UNFILTERED_EXTERNAL_IP: Localized = { en: 'loadBalancerSourceRanges does not apply to external IPs, so any host that reaches that address reaches the datastore', ja: 'external IP には loadBalancerSourceRanges が適用されないため、そのアドレスに届くホストはすべてデータストアに接続できます' };

function toClusterIp(exposed: ExposedDatastore): FixSpec[] {
  if (exposed.exposure.how === 'externalIPs' || exposed.service.externalIPs.length) return [];
  return [{ title: 'clusterIp', edits: [{ span: exposed.exposure.type.span, newText: 'ClusterIP' }] }];
}

export const serviceExposesDatastorePort = defineCheck<Manifests>({
  rule: 'k8s/service-exposes-datastore-port',
  model: 'k8s',
  run(manifests, report, context) {
    const trusted = AddressSet.parse(context.settings.trustedNetworks);
    for (const exposed of exposedDatastores(manifests)) {
      const { service, exposure, ports } = exposed;
      const name = service.meta.name?.text ?? '(unnamed)';
      const how = describeExposure(exposure);
      const ranges = service.loadBalancerSourceRanges;
      if (exposure.how === 'LoadBalancer' && ranges && ranges.entries.length > 0) {
        // The ranges are the gate: report the entries that do not close it, once for all datastore ports.
        const what = [...new Set(ports.map(({ known }) => known.label))].join(', ');
        const numbers = ports.map(({ port }) => String(port.port ?? port.targetPort ?? '?')).join(', ');
        for (const { entry, problem, intended } of rangeProblems(ranges.entries, trusted))
          report(entry.span, { service: name, port: numbers, what, how, problem }, { suggestions: intended ? [{ title: 'intended', data: { range: intended }, edits: [{ span: entry.span, newText: intended }] }] : [] });
        continue;
      }
      const problem = exposure.how === 'LoadBalancer' ? NO_RANGES : exposure.how === 'NodePort' ? UNFILTERED_NODE_PORT : UNFILTERED_EXTERNAL_IP;
      const related = exposure.how === 'externalIPs' ? { span: exposure.address.span, message: { en: 'reachable at this address', ja: 'このアドレスで到達できます' } } : { span: exposure.type.span, message: { en: `type ${exposure.type.text}`, ja: `type ${exposure.type.text}` } };
      for (const { port, known } of ports)
        report(port.span, { service: name, port: String(port.port ?? port.targetPort ?? '?'), what: known.label, how, problem }, { suggestions: toClusterIp(exposed), related: [related] });
    }
  },
});
