import { modelKey, text } from '../../../core/check';
import type { FormatHandler, LoadContext, Loaded, ParseProblem } from '../../../core/format';
import { SourceText } from '../../../core/source';
import { type ContentVerdict, contentLines, countShapes, looksLikeMarkup, verdictFromLines } from '../../../core/sniff';
import { IncludeResolver, type PreParsed } from './load';
import { dirname, joinPath } from '../../shared/paths';
import { type NginxConfig, buildConfig, roleOf } from './model';
import { parseNginx } from './syntax';

export { NginxConfig } from './model';

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
  const ownProblems: ParseProblem[] = [];
  // Parsed once: the role decides how the file is read, and the same tree is then expanded.
  const own = parseNginx(source, ownProblems);
  const preParsed: PreParsed = { tree: own, problems: ownProblems, used: false };
  const role = roleOf(own);
  if (role !== 'main') {
    const found = await findIncludingMain(source, context);
    if (found) {
      const problems: ParseProblem[] = [];
      const resolver = new IncludeResolver(context.files, found.prefix, problems, source, preParsed);
      const tree = await resolver.load(found.main);
      if (resolver.sources.has(source.path)) {
        const config = buildConfig(tree, 'main', resolver.sources, resolver.unresolved, source.path, problems);
        return { model: config, problems, sources: [source, ...[...resolver.sources.values()].filter((s) => s.path !== source.path)] };
      }
    }
  }
  const problems: ParseProblem[] = [];
  const resolver = new IncludeResolver(context.files, dirname(source.path), problems, source, preParsed);
  const tree = await resolver.load(source);
  const config = buildConfig(tree, role, resolver.sources, resolver.unresolved, source.path, problems);
  return { model: config, problems, sources: [source, ...[...resolver.sources.values()].filter((s) => s.path !== source.path)] };
}

/**
 * Every directive is a word, arguments and ';' (in `types` and `map` blocks the word is a MIME type or a key),
 * or a block opened by '{' and closed by '}'. `name = value` and `name: value` are other syntaxes.
 */
const NGINX_DIRECTIVE = /^[^\s;{}#=:'"]+(;|[ \t]+[^=\s])/;
const NGINX_BLOCK_OPEN = /^[^\s;{}#=:'"]+([ \t][^{]*)?\{$/;

/**
 * How much of `head` is nginx: directive lines ending in ';', block lines ending in '{' or starting with '}'.
 * Apache's <Section> lines, XML and `key = value` lines are not nginx.
 */
export function judgeNginx(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let good = 0;
  let directives = 0;
  let tags = 0;
  for (const line of lines) {
    const text = withoutTrailingComment(line.text);
    if (/^<\/?[A-Za-z]/.test(text)) tags++;
    if (text.endsWith(';') && NGINX_DIRECTIVE.test(text)) {
      directives++;
      good++;
    } else if (text.startsWith('}') || NGINX_BLOCK_OPEN.test(text)) good++;
  }
  if (tags >= 2) return 'contradicts';
  return verdictFromLines(good, directives, lines.length, 0.7, countShapes(lines, ['tag', 'ini-section', 'assign', 'yaml']));
}

/** The line without a `#` comment that follows its text (nginx reads `#` as a comment outside quotes). */
function withoutTrailingComment(text: string): string {
  const hash = text.indexOf(' #');
  if (hash < 0 || text.includes('"') || text.includes("'")) return text;
  return text.slice(0, hash).trimEnd();
}

/** Block lines only nginx writes; each is tested on one line, anchored, with no two quantifiers that overlap. */
const TOP_BLOCK = /^(server|http|events|stream)[ \t]*\{/;
const UPSTREAM_BLOCK = /^upstream[ \t]+[^\s{]+[ \t]*\{/;
const LOCATION_BLOCK = /^location[ \t][^{;]*\{/;

/** Whether a line of `head` opens a server, http, events, stream, upstream or location block. */
function opensNginxBlock(head: string): boolean {
  let start = 0;
  while (start < head.length) {
    let end = head.indexOf('\n', start);
    if (end < 0) end = head.length;
    let first = start;
    while (first < end && (head[first] === ' ' || head[first] === '\t')) first++;
    const c = head[first];
    if (c === 's' || c === 'h' || c === 'e' || c === 'u' || c === 'l') {
      const line = head.slice(first, end);
      if (TOP_BLOCK.test(line) || UPSTREAM_BLOCK.test(line) || LOCATION_BLOCK.test(line)) return true;
    }
    start = end + 1;
  }
  return false;
}

/** The nginx model: what this family's loader produces and its checks read. */
export const nginxModel = modelKey<NginxConfig>('nginx');

export const nginxConf: FormatHandler<NginxConfig> = {
  id: 'nginx',
  model: nginxModel,
  label: text('web.nginx.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => baseName === 'nginx.conf',
  // A file under an nginx/ folder (conf.d/x.conf, sites-available/x, snippets, mime.types) when its lines are nginx's.
  detectByFolder: (path, baseName) => /(^|\/)nginx\//.test(path) && !baseName.startsWith('.') && !/\.(ya?ml|ini|toml|xml|cfg)$/i.test(baseName),
  // A server, http, events, stream, upstream or location block, in a file of nginx lines.
  detectByContent: (head) => opensNginxBlock(head) && judgeNginx(head) === 'fits',
  judgeContent: judgeNginx,
  load: loadNginx,
};

export const nginxFormats: FormatHandler<unknown>[] = [nginxConf];
