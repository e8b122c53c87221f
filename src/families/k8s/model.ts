// Kubernetes manifests as the checks see them: Services, Ingresses and the Pod templates of workloads,
// every value with the span it was written at. One file may hold many documents (`---`) and `kind: List`.
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import {
  type Document,
  type Node,
  type Pair,
  type Scalar,
  isMap,
  isScalar,
  mapPairs,
  parseYaml,
  resolved,
  scalarText,
  seqItems,
  spanOf,
  value,
} from '../shared/yaml-tree';
import { NodeModels } from '../shared/model-reuse';

export interface K8sValue {
  text: string;
  span: Span;
}

export interface ObjectMeta {
  kind: K8sValue;
  name?: K8sValue;
  /** Undefined when not written: the namespace is then the one `kubectl apply` is given. */
  namespace?: string;
  annotations: Map<string, K8sValue>;
}

export interface ContainerPort {
  containerPort?: number;
  name?: string;
  span: Span;
}

export interface EnvVar {
  name: string;
  nameSpan: Span;
  /** A literal `value`; undefined with `valueFrom` (a Secret or ConfigMap reference) or without a value. */
  value?: string;
  /** The `value: ...` pair (key to end of value), for edits that replace it. */
  valuePairSpan?: Span;
  valueSpan?: Span;
  /** Column of the `name:`/`value:` keys, for edits that write sibling keys. */
  keyColumn: number;
  fromReference: boolean;
  span: Span;
}

export interface Container {
  name?: K8sValue;
  image?: K8sValue;
  command: K8sValue[];
  args: K8sValue[];
  ports: ContainerPort[];
  env: EnvVar[];
  /** `volumeMounts[].mountPath`: files the server may read that this file does not show. */
  mounts: K8sValue[];
  init: boolean;
  /** The container's item in the list, where findings about the container as a whole go. */
  span: Span;
}

/** A Pod or the Pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob. */
export interface Workload {
  meta: ObjectMeta;
  /** Labels of the Pod (template) that Service selectors match. */
  labels: Map<string, string>;
  containers: Container[];
}

export interface ServicePort {
  name?: string;
  port?: number;
  /** A number, a container port name, or undefined (then it equals `port`). */
  targetPort?: number | string;
  nodePort?: number;
  /** The `port` value as written. */
  span: Span;
}

export interface Service {
  meta: ObjectMeta;
  /** Undefined means ClusterIP. */
  type?: K8sValue;
  selector?: Map<string, string>;
  ports: ServicePort[];
  externalIPs: K8sValue[];
  /** Undefined when the key is absent; `entries` may be empty (`loadBalancerSourceRanges: []`). */
  loadBalancerSourceRanges?: { span: Span; entries: K8sValue[] };
}

export interface IngressBackend {
  service: string;
  port?: number | string;
  span: Span;
  /** The rule's host, when one is written (the default backend and host-less rules serve every host). */
  host?: string;
  /** The HTTP path routed here; undefined for the default backend (every path no rule takes). */
  path?: K8sValue;
  /** Exact, Prefix or ImplementationSpecific (the controller decides). */
  pathType?: string;
}

/** Where an edit can add an annotation: after the last one, or as a new `annotations:` under metadata. */
export interface AnnotationInsertion {
  offset: number;
  /** The text before the new `key: value` line (a line break and indentation, maybe `annotations:`). */
  prefix: string;
}

export interface Ingress {
  meta: ObjectMeta;
  /** `spec.ingressClassName` or the `kubernetes.io/ingress.class` annotation. */
  className?: string;
  backends: IngressBackend[];
  annotationInsertion?: AnnotationInsertion;
}

/** A label selector: every matchLabels pair and every matchExpressions requirement must hold. */
export interface LabelSelector {
  matchLabels: Map<string, string>;
  matchExpressions: Array<{ key: string; operator: string; values: string[] }>;
  span?: Span;
}

export interface PolicyPeer {
  /** Undefined with a namespaceSelector alone: every pod of the selected namespaces. */
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: K8sValue; except: K8sValue[] };
  span: Span;
}

export interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol: string;
}

export interface PolicyIngressRule {
  /** Undefined or empty: every source. */
  from?: PolicyPeer[];
  /** Undefined or empty: every port. */
  ports?: PolicyPort[];
  span: Span;
}

export interface NetworkPolicy {
  meta: ObjectMeta;
  podSelector: LabelSelector;
  /** True when the policy restricts ingress (policyTypes names Ingress, or is left out). */
  restrictsIngress: boolean;
  ingress: PolicyIngressRule[];
  span: Span;
}

/** Every manifest of one folder: Services, Ingresses and policies apply to workloads in other files too. */
export interface ManifestSet {
  workloads: Workload[];
  services: Service[];
  ingresses: Ingress[];
  networkPolicies: NetworkPolicy[];
  /** The files read, the linted one first. */
  files: SourceText[];
}

export interface Manifests {
  source: SourceText;
  workloads: Workload[];
  services: Service[];
  ingresses: Ingress[];
  networkPolicies: NetworkPolicy[];
  /** This file and the other manifests of its folder. */
  folder: ManifestSet;
}

const POD_TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

interface Context {
  source: SourceText;
  document: Document;
}

function text(node: unknown, context: Context): K8sValue | undefined {
  const written = scalarText(node, context.source);
  const span = spanOf(node as Node | undefined, context.source);
  return written !== undefined && span ? { text: written, span } : undefined;
}

function at(node: unknown, path: readonly string[], context: Context): Node | undefined {
  let current = resolved(node, context.document);
  for (const key of path) current = current === undefined ? undefined : value(current, key, context.document);
  return current;
}

function stringMap(node: unknown, context: Context): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of mapPairs(node, context.document)) {
    const written = scalarText(resolved(pair.value, context.document), context.source);
    if (written !== undefined) out.set(String(pair.key.value), written);
  }
  return out;
}

/** Port numbers are integers; a quoted or named port stays a name (the API server rejects quoted numbers for `port`). */
function portValue(node: unknown, context: Context): number | string | undefined {
  const written = scalarText(resolved(node, context.document), context.source);
  if (written === undefined || written === '') return undefined;
  return /^\d+$/.test(written) && isScalar(node) && node.type === 'PLAIN' ? Number(written) : written;
}

const asNumber = (port: number | string | undefined) => (typeof port === 'number' ? port : undefined);

function metaOf(node: Node, kind: K8sValue, context: Context): ObjectMeta {
  const metadata = at(node, ['metadata'], context);
  const name = text(at(metadata, ['name'], context), context);
  const namespace = scalarText(at(metadata, ['namespace'], context), context.source);
  const annotations = new Map<string, K8sValue>();
  for (const pair of mapPairs(at(metadata, ['annotations'], context), context.document)) {
    const annotation = text(resolved(pair.value, context.document), context);
    if (annotation) annotations.set(String(pair.key.value), annotation);
  }
  return { kind, ...(name ? { name } : {}), ...(namespace ? { namespace } : {}), annotations };
}

function valuePair(item: Node, context: Context): Pair<Scalar, unknown> | undefined {
  return mapPairs(item, context.document).find((pair) => String(pair.key.value) === 'value');
}

function envOf(node: unknown, context: Context): EnvVar[] {
  const out: EnvVar[] = [];
  for (const item of seqItems(node, context.document)) {
    const nameNode = at(item, ['name'], context);
    const name = text(nameNode, context);
    const span = spanOf(item, context.source);
    if (!name || !span) continue;
    const pair = valuePair(item, context);
    const valueNode = pair ? resolved(pair.value, context.document) : undefined;
    const literal = text(valueNode, context);
    const keyStart = pair?.key.range?.[0];
    const pairSpan = keyStart !== undefined && literal ? { file: context.source.path, start: keyStart, end: literal.span.end } : undefined;
    const nameKey = mapPairs(item, context.document).find((candidate) => String(candidate.key.value) === 'name')?.key.range?.[0] ?? name.span.start;
    out.push({
      name: name.text,
      nameSpan: name.span,
      ...(literal ? { value: literal.text, valueSpan: literal.span } : {}),
      ...(pairSpan ? { valuePairSpan: pairSpan } : {}),
      keyColumn: context.source.positionAt(nameKey).character,
      fromReference: at(item, ['valueFrom'], context) !== undefined,
      span,
    });
  }
  return out;
}

function containersOf(podSpec: Node | undefined, context: Context): Container[] {
  const out: Container[] = [];
  for (const [key, init] of [
    ['initContainers', true],
    ['containers', false],
  ] as const)
    for (const item of seqItems(at(podSpec, [key], context), context.document)) {
      const name = text(at(item, ['name'], context), context);
      const image = text(at(item, ['image'], context), context);
      const list = (field: string) =>
        seqItems(at(item, [field], context), context.document)
          .map((arg) => text(arg, context))
          .filter((arg): arg is K8sValue => arg !== undefined);
      const ports: ContainerPort[] = [];
      for (const port of seqItems(at(item, ['ports'], context), context.document)) {
        const span = spanOf(port, context.source);
        if (!span) continue;
        const containerPort = asNumber(portValue(at(port, ['containerPort'], context), context));
        const portName = scalarText(at(port, ['name'], context), context.source);
        ports.push({ ...(containerPort !== undefined ? { containerPort } : {}), ...(portName ? { name: portName } : {}), span });
      }
      const mounts = seqItems(at(item, ['volumeMounts'], context), context.document)
        .map((mount) => text(at(mount, ['mountPath'], context), context))
        .filter((mount): mount is K8sValue => mount !== undefined);
      out.push({
        ...(name ? { name } : {}),
        ...(image ? { image } : {}),
        command: list('command'),
        args: list('args'),
        ports,
        env: envOf(at(item, ['env'], context), context),
        mounts,
        init,
        span: spanOf(item, context.source) ?? { file: context.source.path, start: 0, end: 0 },
      });
    }
  return out;
}

function serviceOf(node: Node, meta: ObjectMeta, context: Context): Service {
  const spec = at(node, ['spec'], context);
  const type = text(at(spec, ['type'], context), context);
  const selectorNode = at(spec, ['selector'], context);
  const ports: ServicePort[] = [];
  for (const item of seqItems(at(spec, ['ports'], context), context.document)) {
    // The `port` value, where an editor underline reads naturally (the item spans several lines).
    const span = spanOf(at(item, ['port'], context) ?? at(item, ['targetPort'], context), context.source) ?? spanOf(item, context.source);
    if (!span) continue;
    const name = scalarText(at(item, ['name'], context), context.source);
    const port = asNumber(portValue(at(item, ['port'], context), context));
    const targetPort = portValue(at(item, ['targetPort'], context), context);
    const nodePort = asNumber(portValue(at(item, ['nodePort'], context), context));
    ports.push({
      ...(name ? { name } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(targetPort !== undefined ? { targetPort } : {}),
      ...(nodePort !== undefined ? { nodePort } : {}),
      span,
    });
  }
  const values = (key: string) =>
    seqItems(at(spec, [key], context), context.document)
      .map((item) => text(item, context))
      .filter((item): item is K8sValue => item !== undefined);
  const rangesNode = at(spec, ['loadBalancerSourceRanges'], context);
  const rangesSpan = spanOf(rangesNode, context.source);
  return {
    meta,
    ...(type ? { type } : {}),
    ...(isMap(selectorNode) ? { selector: stringMap(selectorNode, context) } : {}),
    ports,
    externalIPs: values('externalIPs'),
    ...(rangesNode !== undefined && rangesSpan ? { loadBalancerSourceRanges: { span: rangesSpan, entries: values('loadBalancerSourceRanges') } } : {}),
  };
}

/** networking.k8s.io/v1 (`service.name`, `service.port.number|name`) and the older `serviceName`/`servicePort`. */
function backendOf(node: Node | undefined, context: Context): IngressBackend | undefined {
  const span = spanOf(node, context.source);
  if (!node || !span) return undefined;
  const v1 = scalarText(at(node, ['service', 'name'], context), context.source);
  const old = scalarText(at(node, ['serviceName'], context), context.source);
  const service = v1 ?? old;
  if (!service) return undefined;
  const port =
    v1 !== undefined
      ? (portValue(at(node, ['service', 'port', 'number'], context), context) ?? portValue(at(node, ['service', 'port', 'name'], context), context))
      : portValue(at(node, ['servicePort'], context), context);
  return { service, ...(port !== undefined ? { port } : {}), span };
}

/** Column of a block mapping's keys, and the end of its last pair, for edits that add a key. */
function blockMapEnd(node: unknown, context: Context): { column: number; end: number } | undefined {
  const map = resolved(node, context.document);
  if (!isMap(map) || map.flow || !map.items.length) return undefined;
  const first = map.items[0]!;
  const last = map.items[map.items.length - 1]!;
  const keyStart = isScalar(first.key) ? first.key.range?.[0] : undefined;
  const valueEnd = (last.value as Node | null)?.range?.[1] ?? (isScalar(last.key) ? last.key.range?.[1] : undefined);
  if (keyStart === undefined || valueEnd === undefined) return undefined;
  // A block value's range runs to the next key: back up over trailing line breaks and blanks.
  let end = valueEnd;
  while (end > 0 && /\s/.test(context.source.text[end - 1]!)) end--;
  return { column: context.source.positionAt(keyStart).character, end };
}

function annotationInsertion(node: Node, context: Context): AnnotationInsertion | undefined {
  const metadata = at(node, ['metadata'], context);
  const annotations = blockMapEnd(at(metadata, ['annotations'], context), context);
  if (annotations) return { offset: annotations.end, prefix: `\n${' '.repeat(annotations.column)}` };
  if (at(metadata, ['annotations'], context) !== undefined) return undefined; // a flow map or an empty value
  const meta = blockMapEnd(metadata, context);
  return meta ? { offset: meta.end, prefix: `\n${' '.repeat(meta.column)}annotations:\n${' '.repeat(meta.column + 2)}` } : undefined;
}

function ingressOf(node: Node, meta: ObjectMeta, context: Context): Ingress {
  const spec = at(node, ['spec'], context);
  const backends: IngressBackend[] = [];
  const fallback = backendOf(at(spec, ['defaultBackend'], context) ?? at(spec, ['backend'], context), context);
  if (fallback) backends.push(fallback);
  for (const rule of seqItems(at(spec, ['rules'], context), context.document)) {
    const host = scalarText(at(rule, ['host'], context), context.source);
    for (const path of seqItems(at(rule, ['http', 'paths'], context), context.document)) {
      const backend = backendOf(at(path, ['backend'], context), context);
      if (!backend) continue;
      const written = text(at(path, ['path'], context), context);
      const pathType = scalarText(at(path, ['pathType'], context), context.source);
      backends.push({ ...backend, ...(host ? { host } : {}), path: written ?? { text: '/', span: backend.span }, ...(pathType ? { pathType } : {}) });
    }
  }
  const className = scalarText(at(spec, ['ingressClassName'], context), context.source) ?? meta.annotations.get('kubernetes.io/ingress.class')?.text;
  const insertion = annotationInsertion(node, context);
  return { meta, ...(className ? { className } : {}), backends, ...(insertion ? { annotationInsertion: insertion } : {}) };
}

function selectorOf(node: unknown, context: Context): LabelSelector | undefined {
  const selector = resolved(node, context.document);
  if (selector === undefined || (isScalar(selector) && selector.value === null))
    return selector === undefined ? undefined : { matchLabels: new Map(), matchExpressions: [] };
  if (!isMap(selector)) return undefined;
  const matchExpressions = seqItems(at(selector, ['matchExpressions'], context), context.document).map((item) => ({
    key: scalarText(at(item, ['key'], context), context.source) ?? '',
    operator: scalarText(at(item, ['operator'], context), context.source) ?? '',
    values: seqItems(at(item, ['values'], context), context.document)
      .map((value) => scalarText(value, context.source))
      .filter((value): value is string => value !== undefined),
  }));
  const span = spanOf(selector, context.source);
  return { matchLabels: stringMap(at(selector, ['matchLabels'], context), context), matchExpressions, ...(span ? { span } : {}) };
}

function networkPolicyOf(node: Node, meta: ObjectMeta, context: Context): NetworkPolicy | undefined {
  const spec = at(node, ['spec'], context);
  const span = spanOf(node, context.source);
  if (!span) return undefined;
  const types = seqItems(at(spec, ['policyTypes'], context), context.document).map((item) => scalarText(item, context.source));
  const ingressNode = at(spec, ['ingress'], context);
  const ingress: PolicyIngressRule[] = [];
  for (const rule of seqItems(ingressNode, context.document)) {
    const ruleSpan = spanOf(rule, context.source) ?? span;
    const fromNode = at(rule, ['from'], context);
    const portsNode = at(rule, ['ports'], context);
    const from =
      fromNode === undefined
        ? undefined
        : seqItems(fromNode, context.document).flatMap((peer): PolicyPeer[] => {
            const peerSpan = spanOf(peer, context.source) ?? ruleSpan;
            const podSelector = selectorOf(at(peer, ['podSelector'], context), context);
            const namespaceSelector = selectorOf(at(peer, ['namespaceSelector'], context), context);
            const cidr = text(at(peer, ['ipBlock', 'cidr'], context), context);
            const except = seqItems(at(peer, ['ipBlock', 'except'], context), context.document)
              .map((item) => text(item, context))
              .filter((item): item is K8sValue => item !== undefined);
            return [
              {
                ...(podSelector ? { podSelector } : {}),
                ...(namespaceSelector ? { namespaceSelector } : {}),
                ...(cidr ? { ipBlock: { cidr, except } } : {}),
                span: peerSpan,
              },
            ];
          });
    const ports =
      portsNode === undefined
        ? undefined
        : seqItems(portsNode, context.document).map((item) => {
            const port = portValue(at(item, ['port'], context), context);
            const endPort = asNumber(portValue(at(item, ['endPort'], context), context));
            return {
              ...(port !== undefined ? { port } : {}),
              ...(endPort !== undefined ? { endPort } : {}),
              protocol: scalarText(at(item, ['protocol'], context), context.source) ?? 'TCP',
            };
          });
    ingress.push({ ...(from ? { from } : {}), ...(ports ? { ports } : {}), span: ruleSpan });
  }
  // policyTypes left out: Ingress always, Egress when an egress section is written.
  const restrictsIngress = types.length ? types.includes('Ingress') : true;
  return {
    meta,
    podSelector: selectorOf(at(spec, ['podSelector'], context), context) ?? { matchLabels: new Map(), matchExpressions: [] },
    restrictsIngress,
    ingress,
    span,
  };
}

/** What one document declares. */
type Declared = Pick<Manifests, 'workloads' | 'services' | 'ingresses' | 'networkPolicies'>;

function readObject(node: Node | undefined, context: Context, manifests: Declared, depth: number): void {
  if (!isMap(node) || depth > 2) return;
  const kind = text(at(node, ['kind'], context), context);
  if (!kind || at(node, ['apiVersion'], context) === undefined) return;
  if (kind.text === 'List' || kind.text.endsWith('List')) {
    for (const item of seqItems(at(node, ['items'], context), context.document)) readObject(item, context, manifests, depth + 1);
    return;
  }
  const meta = metaOf(node, kind, context);
  if (kind.text === 'Service') manifests.services.push(serviceOf(node, meta, context));
  else if (kind.text === 'Ingress') manifests.ingresses.push(ingressOf(node, meta, context));
  else if (kind.text === 'NetworkPolicy' && /^networking\.k8s\.io\//.test(scalarText(at(node, ['apiVersion'], context), context.source) ?? '')) {
    const policy = networkPolicyOf(node, meta, context);
    if (policy) manifests.networkPolicies.push(policy);
  }
  const templatePath = POD_TEMPLATE_PATHS[kind.text];
  if (templatePath) {
    const template = templatePath.length ? at(node, templatePath, context) : node;
    manifests.workloads.push({
      meta,
      labels: stringMap(at(template, ['metadata', 'labels'], context), context),
      containers: containersOf(at(template, ['spec'], context), context),
    });
  }
}

/** What each document declares, kept with the document (absolute offsets: spans and an annotation insertion's `offset`). */
const declaredByDocument = new NodeModels<Declared>(['offset']);

export function parseManifests(source: SourceText, problems: ParseProblem[]): Manifests {
  const manifests: Manifests = {
    source,
    workloads: [],
    services: [],
    ingresses: [],
    networkPolicies: [],
    folder: { workloads: [], services: [], ingresses: [], networkPolicies: [], files: [source] },
  };
  const file = parseYaml(source, problems);
  for (const document of file.documents) {
    // A document the next lint reuses (its text unchanged) keeps what it declares; offsets are moved on reuse.
    const build = (): Declared => {
      const declared: Declared = { workloads: [], services: [], ingresses: [], networkPolicies: [] };
      readObject(resolved(document.contents, document), { source, document }, declared, 0);
      return declared;
    };
    const declared = document.contents ? declaredByDocument.get(document.contents, document, source.path, '', build) : build();
    manifests.workloads.push(...declared.workloads);
    manifests.services.push(...declared.services);
    manifests.ingresses.push(...declared.ingresses);
    manifests.networkPolicies.push(...declared.networkPolicies);
  }
  manifests.folder = {
    workloads: [...manifests.workloads],
    services: [...manifests.services],
    ingresses: [...manifests.ingresses],
    networkPolicies: [...manifests.networkPolicies],
    files: [source],
  };
  return manifests;
}

/** Whether a namespace as written (undefined: the one `kubectl apply` is given) may be the same as another. */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** Workloads by each of their labels (`key=value`), per list of workloads: built once, so selecting is not a scan per Service. */
const labelIndexes = new WeakMap<readonly Workload[], Map<string, Workload[]>>();

function labelIndex(workloads: readonly Workload[]): Map<string, Workload[]> {
  let index = labelIndexes.get(workloads);
  if (!index) {
    index = new Map();
    for (const workload of workloads)
      for (const [key, value] of workload.labels) {
        const label = `${key}=${value}`;
        const list = index.get(label);
        if (list) list.push(workload);
        else index.set(label, [workload]);
      }
    labelIndexes.set(workloads, index);
  }
  return index;
}

const selections = new WeakMap<Service, { workloads: readonly Workload[]; selected: Workload[] }>();

/** The workloads whose Pods a Service selects: same namespace (when both say) and every selector label. */
export function selectedWorkloads(manifests: { workloads: Workload[] }, service: Service): Workload[] {
  const selector = service.selector;
  if (!selector || selector.size === 0) return [];
  const known = selections.get(service);
  if (known && known.workloads === manifests.workloads) return known.selected;
  const [first] = selector;
  const candidates = labelIndex(manifests.workloads).get(`${first![0]}=${first![1]}`) ?? [];
  const selected = candidates.filter((workload) => {
    if (service.meta.namespace !== undefined && workload.meta.namespace !== undefined && service.meta.namespace !== workload.meta.namespace) return false;
    for (const [key, wanted] of selector) if (workload.labels.get(key) !== wanted) return false;
    return true;
  });
  selections.set(service, { workloads: manifests.workloads, selected });
  return selected;
}
