// Reads an sshd configuration: the file sshd starts from (sshd_config) with its Include files resolved through
// FileAccess, the linted buffer standing in for its own path. A drop-in linted on its own is read as part of
// the sshd_config next to it or above it that includes it, so its values are judged where sshd uses them.
import { text } from '../../core/check';
import type { FileAccess } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import { SourceText } from '../../core/source';
import { basename, dirname, joinPath } from '../shared/paths';
import { parseSshdSyntax } from './syntax';
import { keyword } from './keywords';
import { parseMatch } from './match';
import { expandGlob, includePattern, localPattern } from './include';
import { type FileNode, type IncludeTarget, type Item, SshdConfig } from './model';
import type { Directive } from './options';
import { findFirewalls } from './firewall';
import { isMainConfigName } from './names';

/** servconf.c's SERVCONF_MAX_DEPTH: deeper includes (and include loops) make sshd refuse to start. */
const MAX_DEPTH = 16;

class TreeBuilder {
  readonly nodes = new Map<string, FileNode>();
  readonly sources: SourceText[] = [];

  private readonly files: FileAccess;

  constructor(
    files: FileAccess,
    private readonly linted: SourceText,
    private readonly configFolder: string,
  ) {
    // Every Include of a folder lists it again: ask FileAccess once per path.
    const folders = new Map<string, Promise<string[] | undefined>>();
    const texts = new Map<string, Promise<string | undefined>>();
    this.files = {
      readDirectory: (path) =>
        folders.get(path) ??
        folders
          .set(
            path,
            files.readDirectory(path).catch(() => undefined),
          )
          .get(path)!,
      readFile: (path) =>
        texts.get(path) ??
        texts
          .set(
            path,
            files.readFile(path).catch(() => undefined),
          )
          .get(path)!,
    };
  }

  async build(source: SourceText, chain: readonly string[], depth: number): Promise<FileNode> {
    const syntax = parseSshdSyntax(source);
    const node: FileNode = { source, syntax, items: [] };
    this.nodes.set(source.path, node);
    if (!this.sources.some((known) => known.path === source.path)) this.sources.push(source);
    for (const line of syntax.lines) {
      const spec = keyword(line.name);
      const directive: Directive = { line, ...(spec ? { spec } : {}), args: line.args ?? [] };
      const complete = line.restStart !== undefined && line.args !== undefined;
      let item: Item = { kind: 'directive', directive };
      if (complete && spec?.opcode === 'match') item = { kind: 'match', block: { index: -1, directive, condition: parseMatch(line) } };
      else if (complete && spec?.opcode === 'include') item = await this.include(directive, [...chain, source.path], depth);
      node.items.push(item);
    }
    return node;
  }

  private async include(directive: Directive, chain: readonly string[], depth: number): Promise<Item> {
    const item: Item & { kind: 'include' } = { kind: 'include', directive, targets: [] };
    if (directive.args.length === 0) item.problem = text('sshd.missing-argument', { keyword: directive.line.keyword.value });
    for (const argument of directive.args) {
      if (argument.value === '') {
        item.problem = text('sshd.missing-argument', { keyword: directive.line.keyword.value });
        continue;
      }
      const pattern = includePattern(argument.value);
      const local = localPattern(pattern, this.configFolder);
      const { paths, folderFound } = /[*?[]/.test(local) ? await expandGlob(this.files, local) : { paths: [local], folderFound: true };
      const target: IncludeTarget = { argument: argument.value, pattern, files: [], folderMissing: !folderFound };
      for (const path of paths) {
        if (chain.includes(path)) {
          item.problem = text('sshd.include-loop', { file: basename(path) });
          continue;
        }
        if (depth + 1 > MAX_DEPTH) {
          item.problem = text('sshd.include-too-deep', { depth: MAX_DEPTH });
          continue;
        }
        const existing = this.nodes.get(path);
        if (existing) {
          target.files.push(existing);
          continue;
        }
        const content = path === this.linted.path ? this.linted.text : await this.files.readFile(path).catch(() => undefined);
        if (content === undefined) continue;
        const source = path === this.linted.path ? this.linted : new SourceText(path, content);
        target.files.push(await this.build(source, chain, depth + 1));
      }
      item.targets.push(target);
    }
    return item;
  }
}

async function buildConfig(root: SourceText, linted: SourceText, files: FileAccess): Promise<{ config: SshdConfig; includesLinted: boolean }> {
  const builder = new TreeBuilder(files, linted, dirname(root.path));
  const node = await builder.build(root, [], 0);
  const sources = [linted, ...builder.sources.filter((source) => source.path !== linted.path)];
  return { config: new SshdConfig(node, linted, sources), includesLinted: builder.nodes.has(linted.path) };
}

/** The sshd_config a drop-in belongs to: next to it, or one or two folders above it. */
async function findMainConfig(linted: SourceText, files: FileAccess): Promise<SshdConfig | undefined> {
  const folder = dirname(linted.path);
  const candidates = [joinPath(folder, 'sshd_config'), joinPath(dirname(folder), 'sshd_config'), joinPath(dirname(dirname(folder)), 'sshd_config')];
  for (const candidate of [...new Set(candidates)]) {
    if (candidate === linted.path) continue;
    const content = await files.readFile(candidate).catch(() => undefined);
    if (content === undefined) continue;
    const { config, includesLinted } = await buildConfig(new SourceText(candidate, content), linted, files);
    if (includesLinted) return config;
  }
  return undefined;
}

export async function loadSshdConfig(linted: SourceText, files: FileAccess): Promise<{ config: SshdConfig; problems: ParseProblem[] }> {
  const config = (!isMainConfigName(basename(linted.path)) && (await findMainConfig(linted, files))) || (await buildConfig(linted, linted, files)).config;
  config.firewalls = await findFirewalls(config.root.source.path, files);
  for (const view of config.firewalls) if (!config.sources.some((known) => known.path === view.source.path)) config.sources.push(view.source);
  const problems = config.problems.filter((problem) => problem.span.file === linted.path);
  // A broken included file stops sshd as surely as a broken line here: say so on the Include line.
  const flagged = new Set<Directive>();
  for (const problem of config.problems) {
    if (problem.span.file === linted.path) continue;
    const include = config.includeLeadingTo(linted.path, problem.span.file);
    if (!include || flagged.has(include)) continue;
    flagged.add(include);
    const source = config.sources.find((known) => known.path === problem.span.file);
    const line = source ? source.positionAt(problem.span.start).line + 1 : 0;
    problems.push({
      span: { file: linted.path, start: include.line.start, end: include.line.end },
      message: text('sshd.include-has-errors', { file: basename(problem.span.file), line, detail: problem.message }),
    });
  }
  return { config, problems };
}
