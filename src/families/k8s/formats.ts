import { modelKey, text } from '../../core/check';
import type { FormatHandler } from '../../core/format';
import { judgeYaml, yamlShape } from '../../core/sniff';
import type { Manifests } from './model';
import type * as Folder from './folder';

export type { Container, ContainerPort, EnvVar, Ingress, K8sValue, Manifests, Service, ServicePort, Workload } from './model';

/**
 * A manifest names its API version and kind at the top level of a document. Compose files (`services:`)
 * and elasticsearch.yml (dotted settings) have neither, so they are never taken for manifests.
 */
function looksLikeManifest(head: string): boolean {
  if (!/^apiVersion:[ \t]*\S/m.test(head) || !/^kind:[ \t]*\S/m.test(head)) return false;
  // ... in a YAML file: not a manifest quoted inside a Python module or a Markdown page.
  const shape = yamlShape(head);
  return shape.firstIsYaml && judgeYaml(head) === 'fits';
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
  judgeContent: judgeYaml,
  // A Helm chart template is Go template text, not YAML: `{{ .Values.x }}` decides what the manifest says.
  // (`{{ $labels.instance }}` inside a quoted value, as in PrometheusRule annotations, is data: not a template.)
  templateNotice: text('k8s.helm-template'),
  // The reader (and the YAML library) is loaded with the first manifest, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: (source, context) => (require('./folder') as typeof Folder).loadManifests(source, context.files),
};

export const k8sFormats: FormatHandler<unknown>[] = [k8sManifest];
