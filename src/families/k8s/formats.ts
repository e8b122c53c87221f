import { modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type Manifests, parseManifests } from './model';

export type { Container, ContainerPort, EnvVar, Ingress, K8sValue, Manifests, Service, ServicePort, Workload } from './model';
export { selectedWorkloads } from './model';

// A Helm chart template is Go template text, not YAML: `{{ .Values.x }}` decides what the manifest says.
// `{{ $labels.instance }}` inside a quoted value (PrometheusRule annotations) is data, not a template, so
// only actions at a line start, as a plain value, or over Helm's own objects and functions count.
const HELM_TEMPLATE = /^[ \t]*(-[ \t]+)?\{\{.*?\}\}|:[ \t]+\{\{.*?\}\}|\{\{-?\s*(\.Values|\.Release|\.Chart|\$\.Values|include\s|template\s|toYaml\s).*?\}\}/m;

/**
 * A manifest names its API version and kind at the top level of a document. Compose files (`services:`)
 * and elasticsearch.yml (dotted settings) have neither, so they are never taken for manifests.
 */
function looksLikeManifest(head: string): boolean {
  return /^apiVersion:[ \t]*\S/m.test(head) && /^kind:[ \t]*\S/m.test(head);
}

/** The k8s model: what this family's loader produces and its checks read. */
export const k8sModel = modelKey<Manifests>('k8s');

export const k8sManifest: FormatHandler<Manifests> = {
  id: 'kubernetes-manifest',
  model: k8sModel,
  label: text('k8s.label'),
  commentPrefix: '#',
  // By content only: manifest file names (deployment.yaml, db.yml, ...) say nothing a compose file could not.
  detectByName: () => false,
  detectByContent: looksLikeManifest,
  async load(source) {
    const problems: ParseProblem[] = [];
    const helm = HELM_TEMPLATE.exec(source.text);
    if (helm) {
      problems.push({
        span: { file: source.path, start: helm.index + helm[0].indexOf('{{'), end: helm.index + helm[0].length },
        message: text('k8s.helm-template'),
        severity: 'info',
      });
      return { model: { source, workloads: [], services: [], ingresses: [] }, problems, sources: [source] };
    }
    const model = parseManifests(source, problems);
    return { model, problems, sources: [source] };
  },
};

export const k8sFormats: FormatHandler<unknown>[] = [k8sManifest];
