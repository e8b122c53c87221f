// Who can open a connection to a workload's port: NetworkPolicies applied as Kubernetes applies them (a Pod
// selected by no policy of type Ingress accepts every source; once selected, only what some rule of some
// selecting policy admits, the rules' sources and ports unioned), and how Services and Ingresses carry it
// beyond the cluster. Peers' ipBlocks are address sets (cidr minus except).
import type { Span } from '../../core/types';
import { AddressSet, parseRange } from '../../net';
import type {
  ContainerPort,
  Ingress,
  IngressBackend,
  LabelSelector,
  ManifestSet,
  NetworkPolicy,
  PolicyIngressRule,
  PolicyPort,
  Service,
  Workload,
} from './model';
import { sameNamespace, selectedWorkloads } from './model';
import { type Exposure, exposureOf } from './checks/exposure';

const EVERY_ADDRESS = AddressSet.of({ start: 0n, end: (1n << 128n) - 1n });

/** matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist), as the API server evaluates them. */
export function selects(selector: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  for (const [key, value] of selector.matchLabels) if (labels.get(key) !== value) return false;
  for (const { key, operator, values } of selector.matchExpressions) {
    const value = labels.get(key);
    if (operator === 'In' && (value === undefined || !values.includes(value))) return false;
    if (operator === 'NotIn' && value !== undefined && values.includes(value)) return false;
    if (operator === 'Exists' && value === undefined) return false;
    if (operator === 'DoesNotExist' && value !== undefined) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator)) return false;
  }
  return true;
}

const selectsEverything = (selector: LabelSelector | undefined) => !selector || (selector.matchLabels.size === 0 && selector.matchExpressions.length === 0);

/** The policies that isolate the workload's Pods for ingress. */
export function isolatingPolicies(folder: ManifestSet, workload: Workload): NetworkPolicy[] {
  return folder.networkPolicies.filter(
    (policy) => policy.restrictsIngress && sameNamespace(policy.meta.namespace, workload.meta.namespace) && selects(policy.podSelector, workload.labels),
  );
}

function portCovered(ports: PolicyPort[] | undefined, target: ContainerPort | { containerPort: number; name?: string }): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((port) => {
    if (port.protocol.toUpperCase() !== 'TCP') return false;
    if (port.port === undefined) return true;
    if (typeof port.port === 'string') return port.port === target.name;
    const number = target.containerPort;
    return number !== undefined && number >= port.port && number <= (port.endPort ?? port.port);
  });
}

export interface PodReach {
  /** Policies of type Ingress that select the Pods; empty when every source may connect. */
  policies: NetworkPolicy[];
  /** Every Pod of the cluster may connect to the port. */
  everyPod: boolean;
  /** The rule that lets every Pod in, when a policy does. */
  openedBy?: { rule: PolicyIngressRule; policy: NetworkPolicy };
  /** Addresses outside the cluster the rules admit to the port (everything when no policy isolates the Pods). */
  external: AddressSet;
}

function ipBlockSet(block: { cidr: { text: string }; except: Array<{ text: string }> }): AddressSet {
  const cidr = parseRange(block.cidr.text);
  if (!cidr) return AddressSet.empty;
  return AddressSet.of(cidr.range).subtract(AddressSet.parse(block.except.map((item) => item.text)));
}

/** Who reaches `port` of the workload's Pods, after every NetworkPolicy of the folder. */
export function podReach(folder: ManifestSet, workload: Workload, port: ContainerPort | { containerPort: number; name?: string }): PodReach {
  const policies = isolatingPolicies(folder, workload);
  if (!policies.length) return { policies, everyPod: true, external: EVERY_ADDRESS };
  let external = AddressSet.empty;
  let openedBy: PodReach['openedBy'];
  for (const policy of policies)
    for (const rule of policy.ingress) {
      if (!portCovered(rule.ports, port)) continue;
      if (!rule.from || rule.from.length === 0) {
        external = EVERY_ADDRESS;
        openedBy ??= { rule, policy };
        continue;
      }
      for (const peer of rule.from) {
        if (peer.ipBlock) {
          const set = ipBlockSet(peer.ipBlock);
          external = external.union(set);
          // 0.0.0.0/0 and ::/0 take Pod addresses in with every common network plugin.
          if (parseRange(peer.ipBlock.cidr.text)?.prefix === 0 && peer.ipBlock.except.length === 0) openedBy ??= { rule, policy };
        } else if (peer.namespaceSelector && selectsEverything(peer.namespaceSelector) && selectsEverything(peer.podSelector)) openedBy ??= { rule, policy };
      }
    }
  return { policies, everyPod: openedBy !== undefined, ...(openedBy ? { openedBy } : {}), external };
}

export interface Route {
  service: Service;
  /** How the Service reaches beyond the cluster, if it does. */
  exposure?: Exposure;
  /** An Ingress that routes outside traffic to the Service. */
  ingress?: { name: string; span: Span };
}

interface FolderRoutes {
  /** The Services that select each workload, in the folder's order. */
  services: Map<Workload, Service[]>;
  /** Ingress backends by the Service name they route to, in the folder's order. */
  backends: Map<string, Array<{ candidate: Ingress; backend: IngressBackend }>>;
  /** Each Service's route, built on first use: it depends on the Service alone, not on the workload asking. */
  routes: Map<Service, Route>;
  /** Each workload's routes, once asked for (several checks ask). */
  byWorkload: Map<Workload, Route[]>;
}

const folderRoutes = new WeakMap<ManifestSet, FolderRoutes>();

/** Which Services select which workloads and which Ingresses route to which Service names: once per folder. */
function routesOf(folder: ManifestSet): FolderRoutes {
  let routes = folderRoutes.get(folder);
  if (!routes) {
    routes = { services: new Map(), backends: new Map(), routes: new Map(), byWorkload: new Map() };
    for (const service of folder.services)
      for (const workload of selectedWorkloads(folder, service)) {
        const list = routes.services.get(workload);
        if (list) {
          if (list[list.length - 1] !== service) list.push(service);
        } else routes.services.set(workload, [service]);
      }
    for (const candidate of folder.ingresses)
      for (const backend of candidate.backends) {
        const list = routes.backends.get(backend.service);
        if (list) list.push({ candidate, backend });
        else routes.backends.set(backend.service, [{ candidate, backend }]);
      }
    folderRoutes.set(folder, routes);
  }
  return routes;
}

/** The Services of the folder that select the workload, each with how it is published beyond the cluster. */
export function routesTo(folder: ManifestSet, workload: Workload): readonly Route[] {
  const routes = routesOf(folder);
  const asked = routes.byWorkload.get(workload);
  if (asked) return asked;
  const found = (routes.services.get(workload) ?? []).map((service) => {
    const known = routes.routes.get(service);
    if (known) return known;
    const exposure = exposureOf(service);
    const name = service.meta.name?.text;
    const ingress =
      name === undefined ? undefined : routes.backends.get(name)?.find(({ candidate }) => sameNamespace(candidate.meta.namespace, service.meta.namespace));
    const route: Route = {
      service,
      ...(exposure ? { exposure } : {}),
      ...(ingress ? { ingress: { name: ingress.candidate.meta.name?.text ?? '', span: ingress.backend.span } } : {}),
    };
    routes.routes.set(service, route);
    return route;
  });
  routes.byWorkload.set(workload, found);
  return found;
}
