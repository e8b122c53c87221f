// How a Kubernetes Service is reachable from outside the cluster, and which of its ports lead to a
// datastore. Shared by the k8s checks.
import { type TextRef, text } from '../../../core/check';
import type { K8sValue, Manifests, Service, ServicePort, Workload } from '../formats';
import { selectedWorkloads } from '../model';
import { type WellKnown, wellKnownImage, wellKnownPort } from '../../shared/well-known';
import { reachOf } from '../../shared/listen-address';
import { type AddressSet, judgeRangeText } from '../../../net';

export type Exposure = { how: 'LoadBalancer'; type: K8sValue } | { how: 'NodePort'; type: K8sValue } | { how: 'externalIPs'; address: K8sValue };

// Cloud controllers give these Services an address inside the VPC only (each provider's Service docs).
const INTERNAL_LOAD_BALANCER: ReadonlyArray<[string, RegExp]> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', /^true$/i],
  ['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', /^intranet$/i],
  ['service.kubernetes.io/qcloud-loadbalancer-internal-subnetid', /\S/],
];

export function internalLoadBalancer(service: Service): boolean {
  return INTERNAL_LOAD_BALANCER.some(([key, pattern]) => pattern.test(service.meta.annotations.get(key)?.text ?? ''));
}

/** How the Service is reachable from beyond the cluster network, or undefined when it is not. */
export function exposureOf(service: Service): Exposure | undefined {
  const type = service.type;
  if (type?.text === 'LoadBalancer' && !internalLoadBalancer(service)) return { how: 'LoadBalancer', type };
  if (type?.text === 'NodePort') return { how: 'NodePort', type };
  // kube-proxy answers on an external IP on every node; a private one is as reachable as the network it is in.
  const address = service.externalIPs.find((ip) => reachOf(ip.text) === 'public-address' || reachOf(ip.text) === 'all-interfaces');
  return address ? { how: 'externalIPs', address } : undefined;
}

export function describeExposure(exposure: Exposure): TextRef {
  if (exposure.how === 'LoadBalancer') return text('k8s.exposure-load-balancer');
  if (exposure.how === 'NodePort') return text('k8s.exposure-node-port');
  return text('k8s.exposure-external-ip', { address: exposure.address.text });
}

// Port names in the style of IANA service names and Istio's `<protocol>-<name>`; exporters serve metrics.
const PORT_NAMES: ReadonlyArray<[RegExp, number]> = [
  [/^(tcp-|tls-)?(mysql|mariadb)(-?\d*|-client)?$/, 3306],
  [/^(tcp-|tls-)?(postgres|postgresql|pg|psql)(-?\d*)?$/, 5432],
  [/^(tcp-|tls-)?redis(-?\d*|-server)?$/, 6379],
  [/^(tcp-|tls-)?mongo(db|d)?(-?\d*)?$/, 27017],
  [/^(http-|https-)?(elasticsearch|es-http|opensearch)$/, 9200],
  [/^(tcp-)?memcached?$/, 11211],
];

function byPortName(name: string | undefined): WellKnown | undefined {
  const entry = name ? PORT_NAMES.find(([pattern]) => pattern.test(name.toLowerCase())) : undefined;
  return entry ? wellKnownPort(entry[1]) : undefined;
}

const isDatastore = (known: WellKnown | undefined): known is WellKnown => known !== undefined && known.kind !== 'admin-tool';

/** The datastore behind a Service port: its number, its target, its name, or the image of the container it targets. */
export function datastoreBehind(port: ServicePort, workloads: readonly Workload[]): WellKnown | undefined {
  const byNumber = [port.port, typeof port.targetPort === 'number' ? port.targetPort : undefined]
    .map((number) => (number === undefined ? undefined : wellKnownPort(number)))
    .find(isDatastore);
  if (byNumber) return byNumber;
  const byName = [port.name, typeof port.targetPort === 'string' ? port.targetPort : undefined].map(byPortName).find(isDatastore);
  if (byName) return byName;
  const target = port.targetPort ?? port.port;
  for (const workload of workloads)
    for (const container of workload.containers) {
      if (container.init || !container.image) continue;
      const image = wellKnownImage(container.image.text);
      if (!isDatastore(image)) continue;
      const declared = container.ports.some((declaredPort) =>
        typeof target === 'string' ? declaredPort.name === target : declaredPort.containerPort === target,
      );
      if (declared) return image;
    }
  return undefined;
}

export interface ExposedDatastore {
  service: Service;
  exposure: Exposure;
  ports: { port: ServicePort; known: WellKnown }[];
  workloads: Workload[];
}

/**
 * Every Service reachable from outside the cluster with at least one port leading to a datastore: the
 * Services of the folder (`from`, by default this file's own), matched to the workloads of every file of it.
 */
export function exposedDatastores(manifests: Manifests, from: readonly Service[] = manifests.services): ExposedDatastore[] {
  const out: ExposedDatastore[] = [];
  for (const service of from) {
    const exposure = exposureOf(service);
    if (!exposure) continue;
    const workloads = selectedWorkloads(manifests.folder, service);
    const ports = service.ports.flatMap((port) => {
      const known = datastoreBehind(port, workloads);
      return known ? [{ port, known }] : [];
    });
    if (ports.length) out.push({ service, exposure, ports, workloads });
  }
  return out;
}

export interface RangeProblem {
  entry: K8sValue;
  problem: TextRef;
  /** The private block a mistyped entry most likely meant (172.0.0.0/8 -> 172.16.0.0/12). */
  intended?: string;
}

/**
 * loadBalancerSourceRanges entries that do not limit who may connect: every address, a mistyped private
 * range, or a very wide public block (judgeRange's `veryWide`). Entries the API server would reject (not
 * CIDR) are left to it. `trusted` is the project's trustedNetworks (CheckContext.trusted).
 */
export function rangeProblems(entries: readonly K8sValue[], trusted: AddressSet): RangeProblem[] {
  const out: RangeProblem[] = [];
  for (const entry of entries) {
    const judgement = judgeRangeText(entry.text, trusted);
    if (!judgement) continue;
    if (judgement.everything) {
      out.push({ entry, problem: text('k8s.range-everything', { range: entry.text }) });
      continue;
    }
    if (judgement.publicCount === 0n) continue;
    const count = String(judgement.publicCount);
    const { intended } = judgement;
    if (intended) out.push({ entry, intended, problem: text('k8s.range-mistyped', { range: entry.text, count, intended }) });
    else if (judgement.veryWide) out.push({ entry, problem: text('k8s.range-very-wide', { range: entry.text, count }) });
  }
  return out;
}

/** Whether the exposure is limited to a few known sources (a LoadBalancer with sound source ranges). */
export function limitedBySourceRanges(exposed: ExposedDatastore, trusted: AddressSet): boolean {
  const ranges = exposed.service.loadBalancerSourceRanges;
  return exposed.exposure.how === 'LoadBalancer' && ranges !== undefined && ranges.entries.length > 0 && rangeProblems(ranges.entries, trusted).length === 0;
}
