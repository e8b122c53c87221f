import { modelKey, text } from '../../../core/check';
import type { FormatHandler, LoadContext, Loaded, ParseProblem } from '../../../core/format';
import { SourceText } from '../../../core/source';
import { IncludeResolver } from './load';
import { dirname, joinPath } from '../../shared/paths';
import { type NginxConfig, buildConfig, roleOf } from './model';
import { parseNginx } from './syntax';

export { NginxConfig } from './model';

const NOT_CONFIG = /\.(md|txt|json|ya?ml|html?|js|ts|sh|py|pem|key|crt|csr|log|lua|php|rb|service|socket|example\.md)$/i;

/**
 * A file found inside a configuration tree (sites-available/x, conf.d/x.conf) is analysed inside the
 * nginx.conf that includes it, when that file is next to it or one folder up; otherwise on its own.
 */
async function findIncludingMain(source: SourceText, context: LoadContext): Promise<{ main: SourceText; prefix: string } | undefined> {
  const folder = dirname(source.path);
  for (const candidateFolder of [folder, dirname(folder)]) {
    const path = joinPath(candidateFolder, 'nginx.conf');
    if (path === source.path) continue;
    const text = await context.files.readFile(path).catch(() => undefined);
    if (text === undefined) continue;
    return { main: new SourceText(path, text), prefix: candidateFolder };
  }
  return undefined;
}

async function loadNginx(source: SourceText, context: LoadContext): Promise<Loaded<NginxConfig>> {
  const problems: ParseProblem[] = [];
  const own = parseNginx(source, []);
  const role = roleOf(own);
  if (role !== 'main') {
    const found = await findIncludingMain(source, context);
    if (found) {
      const resolver = new IncludeResolver(context.files, found.prefix, problems, source);
      const tree = await resolver.load(found.main);
      if (resolver.sources.has(source.path)) {
        const config = buildConfig(tree, 'main', resolver.sources, resolver.unresolved, source.path);
        return { model: config, problems, sources: [source, ...[...resolver.sources.values()].filter((s) => s.path !== source.path)] };
      }
    }
  }
  const resolver = new IncludeResolver(context.files, dirname(source.path), problems, source);
  const tree = await resolver.load(source);
  const config = buildConfig(tree, role, resolver.sources, resolver.unresolved, source.path);
  return { model: config, problems, sources: [source, ...[...resolver.sources.values()].filter((s) => s.path !== source.path)] };
}

/** The nginx model: what this family's loader produces and its checks read. */
export const nginxModel = modelKey<NginxConfig>('nginx');

export const nginxConf: FormatHandler<NginxConfig> = {
  id: 'nginx',
  model: nginxModel,
  label: text('web.nginx.label'),
  commentPrefix: '#',
  detectByName: (path, baseName) =>
    baseName === 'nginx.conf' || (/(^|\/)nginx\//.test(path) && !NOT_CONFIG.test(baseName) && baseName !== 'README' && !baseName.startsWith('.')),
  // Directives ending in ';' with server/location blocks, and no Apache-style <Section> lines.
  detectByContent: (head) =>
    !/^\s*<\/?[A-Za-z]/m.test(head) && /^\s*(server|location\s+[^{;]*|http|upstream\s+\S+)\s*\{/m.test(head) && /;\s*(#.*)?$/m.test(head),
  load: loadNginx,
};

export const nginxFormats: FormatHandler<unknown>[] = [nginxConf];
