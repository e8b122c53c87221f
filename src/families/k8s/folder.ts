// The other manifests of a folder: a Deployment in deployment.yaml is selected by a Service in service.yaml
// and by NetworkPolicies in policies.yaml, so reachability is judged over the folder, not one file.
import type { FileAccess } from '../../core/types';
import type { Loaded, ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import { MAX_FILE_BYTES } from '../../core/engine';
import { sharedParse } from '../../core/file-cache';
import { basename, dirname, folderEntries, readSource } from '../shared/paths';
import { type Manifests, parseManifests } from './model';

/** Enough for a chart's rendered output or an app's manifests folder, without parsing a whole repository. */
const MAX_SIBLINGS = 64;
const MANIFEST = /^apiVersion:[ \t]*\S/m;
const KIND = /^kind:[ \t]*\S/m;

async function siblings(source: SourceText, files: FileAccess): Promise<SourceText[]> {
  const own = basename(source.path);
  const paths = (await folderEntries(files, dirname(source.path), (name) => name !== own && /\.ya?ml$/i.test(name))) ?? [];
  const out: SourceText[] = [];
  for (const path of paths.slice(0, MAX_SIBLINGS)) {
    const sibling = await readSource(files, path);
    // Only manifests: not compose files or values.yaml, and not Helm templates, which are not YAML yet.
    if (!sibling || sibling.text.length > MAX_FILE_BYTES || !MANIFEST.test(sibling.text) || !KIND.test(sibling.text) || sibling.text.includes('{{')) continue;
    out.push(sibling);
  }
  return out;
}

/** This file's manifests, with the folder's others beside them for matching across files. */
export async function loadManifests(source: SourceText, files: FileAccess): Promise<Loaded<Manifests>> {
  const problems: ParseProblem[] = [];
  const model = parseManifests(source, problems);
  const folder = model.folder;
  for (const sibling of await siblings(source, files)) {
    // Every manifest of the folder reads the others: in an audit each is parsed once (core/file-cache.ts).
    const other = sharedParse(files, 'k8s-manifests', sibling.path, sibling.text, () => parseManifests(sibling, []));
    folder.workloads.push(...other.workloads);
    folder.services.push(...other.services);
    folder.ingresses.push(...other.ingresses);
    folder.networkPolicies.push(...other.networkPolicies);
    folder.files.push(sibling);
  }
  return { model, problems, sources: folder.files };
}
