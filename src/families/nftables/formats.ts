import { modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import type { FileAccess, Span } from '../../core/types';
import { basename, dirname, joinPath, readSource } from '../shared/paths';
import type { ServiceFacts } from '../shared/firewall';
import type * as Firewall from '../shared/firewall';
import type { Token } from './lexer';
import type * as Lexer from './lexer';
import type { NftRule, NftRuleset } from './model';
import type * as Model from './model';
import type { RuleMeaning } from './rule';
import type { ResolvedInclude } from './parser';
import type * as Parser from './parser';
import type { Node } from './syntax';
import type * as Syntax from './syntax';
import type { NftModel } from './packet';
import type * as Packet from './packet';

/** The lexer, parser and packet model, loaded with the first nftables file, not at start-up (issue 16). */
let loaded:
  { firewall: typeof Firewall; lexer: typeof Lexer; model: typeof Model; parser: typeof Parser; syntax: typeof Syntax; packet: typeof Packet } | undefined;
function nft(): NonNullable<typeof loaded> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  loaded ??= {
    firewall: require('../shared/firewall') as typeof Firewall,
    lexer: require('./lexer') as typeof Lexer,
    model: require('./model') as typeof Model,
    parser: require('./parser') as typeof Parser,
    syntax: require('./syntax') as typeof Syntax,
    packet: require('./packet') as typeof Packet,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return loaded;
}

/** nft refuses to nest includes deeper than this (nftables' MAX_INCLUDE_DEPTH). */
const MAX_INCLUDE_DEPTH = 16;
/** How many files one glob may bring in before the loader stops reading (damaged or hostile trees). */
const MAX_INCLUDED_FILES = 256;

/** What the nftables checks read: the ruleset the file leaves and its packet models for IPv4 and IPv6. */
export class NftablesConfig {
  private models?: { v4: NftModel; v6: NftModel };
  private readings?: Map<NftRule, RuleMeaning>;

  constructor(
    readonly ruleset: NftRuleset,
    /** The file being linted (findings are reported in it). */
    readonly linted: string,
    /** Services configured beside the firewall (compose, redis.conf, …): findings name what listens behind a port. */
    readonly services: ServiceFacts = { services: [], sources: [] },
  ) {}

  /** What a rule says (matches, statements, verdict), read once. */
  meaning(rule: NftRule): RuleMeaning {
    this.readings ??= nft().packet.readRules(this.ruleset);
    return this.readings.get(rule)!;
  }

  model(family: 4 | 6): NftModel {
    this.readings ??= nft().packet.readRules(this.ruleset);
    this.models ??= nft().packet.buildModels(this.ruleset, this.readings);
    return family === 4 ? this.models.v4 : this.models.v6;
  }
}

export const nftablesModel = modelKey<NftablesConfig>('nftables');

interface Parsed {
  source: SourceText;
  nodes: Node[];
}

/** Lexes and groups one file; unterminated strings and unbalanced braces become problems. */
function parseFile(source: SourceText, problems: ParseProblem[]): Parsed {
  const { lex } = nft().lexer;
  const { group } = nft().syntax;
  const lexed = lex(source.path, source.text);
  for (const span of lexed.unterminated) problems.push({ span, message: text('nftables.unterminated-string') });
  const grouped = group(lexed.tokens);
  for (const span of grouped.unbalanced) problems.push({ span, message: text('nftables.unbalanced-brace') });
  return { source, nodes: grouped.nodes };
}

/** The `include` statements of a file, at any depth of blocks (nft splices them where they are written). */
function includeStatements(nodes: readonly Node[], out: Node[][] = [], depth = 0): Node[][] {
  if (depth > 8) return out;
  const { statements, isWord } = nft().syntax;
  for (const statement of statements(nodes)) {
    if (isWord(statement[0], 'include') && statement[1]?.kind === 'string') out.push(statement);
    for (const node of statement) if (node.kind === 'group') includeStatements(node.items, out, depth + 1);
  }
  return out;
}

const GLOB = /[*?[]/;

/** glob(3) for one path component: `*`, `?`, `[…]`; a leading dot is matched only by a written dot. */
function componentMatcher(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        const body = pattern
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${pattern.startsWith('.') ? '' : '(?!\\.)'}${out}$`);
}

/**
 * Where an include's files are in the workspace. nft reads an absolute path as written, `./x` and `../x` from
 * its working directory, and a bare name from its include path (/etc). A copy of /etc in the workspace is the
 * root file's folder, so `/etc/nftables.d/x.nft` is also looked for below it.
 */
function candidateFolders(pattern: string, including: string, rootFolder: string): string[] {
  if (pattern.startsWith('/')) {
    const out = [pattern];
    if (pattern.startsWith('/etc/')) out.push(joinPath(rootFolder, pattern.slice('/etc/'.length)));
    out.push(joinPath(dirname(including), basename(pattern)));
    return [...new Set(out)];
  }
  return [...new Set([joinPath(dirname(including), pattern), joinPath(rootFolder, pattern)])];
}

async function resolve(
  files: FileAccess,
  pattern: string,
  including: string,
  rootFolder: string,
  opened: Map<string, SourceText>,
): Promise<{ paths: string[]; found: boolean }> {
  for (const candidate of candidateFolders(pattern, including, rootFolder)) {
    const name = basename(candidate);
    const folder = dirname(candidate);
    if (GLOB.test(folder)) return { paths: [], found: true };
    if (!GLOB.test(name)) {
      if (opened.has(candidate)) return { paths: [candidate], found: true };
      const source = await readSource(files, candidate);
      if (source) {
        opened.set(candidate, source);
        return { paths: [candidate], found: true };
      }
      continue;
    }
    const entries = await files.readDirectory(folder).catch(() => undefined);
    if (!entries) continue;
    const matcher = componentMatcher(name);
    return {
      paths: entries
        .filter((entry) => matcher.test(entry))
        .sort()
        .map((entry) => joinPath(folder, entry)),
      found: true,
    };
  }
  return { paths: [], found: false };
}

/** Reads the root file and every file it includes; the linted text stands for its path wherever it is read. */
async function loadTree(root: SourceText, linted: SourceText, files: FileAccess, problems: ParseProblem[]) {
  const opened = new Map<string, SourceText>([[linted.path, linted]]);
  opened.set(root.path, root);
  const parsed = new Map<string, Parsed>();
  const resolved = new Map<string, ResolvedInclude>();
  const rootFolder = dirname(root.path);
  let budget = MAX_INCLUDED_FILES;
  const visit = async (source: SourceText, depth: number, chain: string[]): Promise<void> => {
    let file = parsed.get(source.path);
    if (!file) {
      file = parseFile(source, source.path === linted.path || source.path === root.path ? problems : []);
      parsed.set(source.path, file);
    }
    for (const statement of includeStatements(file.nodes)) {
      const target = statement[1] as Token;
      const pattern = target.text;
      const key = spanKey(target.span);
      if (resolved.has(key)) continue;
      const entry: ResolvedInclude = { pattern, files: [] };
      resolved.set(key, entry);
      if (depth >= MAX_INCLUDE_DEPTH) {
        entry.problem = { span: target.span, message: text('nftables.include-too-deep', { depth: MAX_INCLUDE_DEPTH }) };
        continue;
      }
      // nft reads `./x` and `../x` from its working directory, which is / when nftables.service loads the rules.
      const relative = /^\.\.?\//.test(pattern);
      const { paths, found } = await resolve(files, pattern, source.path, rootFolder, opened);
      if (relative) entry.problem = { span: target.span, severity: 'warning', message: text('nftables.include-relative-to-cwd', { file: pattern }) };
      else if (!found && !GLOB.test(pattern))
        entry.problem = { span: target.span, severity: 'warning', message: text('nftables.include-not-found', { file: pattern }) };
      for (const path of paths) {
        if (chain.includes(path)) {
          entry.problem = { span: target.span, message: text('nftables.include-loop', { file: pattern }) };
          continue;
        }
        if (budget-- <= 0) break;
        const included = opened.get(path) ?? (await readSource(files, path));
        if (!included) continue;
        opened.set(path, included);
        await visit(included, depth + 1, [...chain, path]);
        entry.files.push({ path, nodes: parsed.get(path)!.nodes });
      }
    }
  };
  await visit(root, 0, [root.path]);
  return { root: parsed.get(root.path)!, opened, resolved };
}

function spanKey(span: Span): string {
  return `${span.file}:${span.start}`;
}

/** Names nft's configuration and the drop-in files it includes usually have. */
function isNftName(path: string, baseName: string): boolean {
  return /^nftables(\.[\w-]+)?\.conf$/i.test(baseName) || /\.nft$/i.test(baseName) || /(^|\/)(nftables\.d|nftables)\/[^/]+\.(conf|rules)$/i.test(path);
}

/**
 * The file whose load reads the linted one: an nftables.conf in its folder or the two above that includes
 * it (a drop-in of nftables.d), else the linted file itself.
 */
async function findRoot(source: SourceText, files: FileAccess): Promise<SourceText> {
  if (/^nftables(\.[\w-]+)?\.conf$/i.test(basename(source.path))) return source;
  let folder = dirname(source.path);
  for (let level = 0; level < 3; level++) {
    for (const name of ['nftables.conf', 'main.nft', 'nftables.nft']) {
      const candidate = joinPath(folder, name);
      if (candidate === source.path) continue;
      const root = await readSource(files, candidate);
      if (!root) continue;
      const probe = await loadTree(root, source, files, []);
      if ([...probe.resolved.values()].some((entry) => entry.files.some((file) => file.path === source.path))) return root;
    }
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return source;
}

/**
 * What nft checks when it loads the rules, beyond syntax: `iif`/`oif` name an interface that must exist at
 * that moment (nft stores its index; at boot it may not exist yet, and then the whole file is refused), and
 * `jump`/`goto` need the chain in the same table.
 */
function loadTimeProblems(config: NftablesConfig): ParseProblem[] {
  const out: ParseProblem[] = [];
  for (const rule of config.ruleset.rules()) {
    if (rule.span.file !== config.linted) continue;
    const meaning = config.meaning(rule);
    for (const match of meaning.matches) {
      const key = match.selector.length === 1 ? match.selector[0]!.join(' ') : '';
      if (key !== 'meta iif' && key !== 'meta oif') continue;
      for (const element of match.value.elements) {
        const name = element.parts[0]?.map((node) => (node.kind === 'group' ? '' : node.text)).join('') ?? '';
        if (name && name !== 'lo' && !/^\d+$/.test(name))
          out.push({ span: element.span, severity: 'info', message: text('nftables.iif-needs-interface', { keyword: key.slice(5), name }) });
      }
    }
    const targets = [meaning.verdict, ...(meaning.vmap?.value.elements ?? []).map((element) => mapTarget(element.mapsTo))];
    for (const verdict of targets)
      if (verdict?.target !== undefined && !rule.chain.table.chains.has(verdict.target))
        out.push({ span: verdict.span, message: text('nftables.missing-chain', { chain: verdict.target }) });
  }
  return out;
}

function mapTarget(nodes: readonly Node[] | undefined): { target: string; span: Span } | undefined {
  const [word, target] = nodes ?? [];
  if (!nft().syntax.isWord(word, 'jump', 'goto') || !target || target.kind === 'group') return undefined;
  return { target: target.text, span: target.span };
}

export async function loadNftables(
  source: SourceText,
  files: FileAccess,
): Promise<{ config: NftablesConfig; problems: ParseProblem[]; sources: SourceText[] }> {
  const problems: ParseProblem[] = [];
  const root = await findRoot(source, files);
  const tree = await loadTree(root, source, files, problems);
  const { interpret } = nft().parser;
  const { NftRuleset } = nft().model;
  const { findServiceFacts, matrixLimitProblem } = nft().firewall;
  const result = interpret(tree.root.nodes, (span) => tree.resolved.get(spanKey(span)));
  problems.push(...result.problems.filter((problem) => problem.span.file === source.path || problem.span.file === root.path));
  const sources = [source, ...[...tree.opened.values()].filter((other) => other.path !== source.path)];
  const ruleset = new NftRuleset(result.tables, sources, result.flushes, result.includes, root.path);
  const services = await findServiceFacts(source.path, files);
  const config = new NftablesConfig(ruleset, source.path, services);
  problems.push(...loadTimeProblems(config));
  const heavy = matrixLimitProblem(source, config.model(4).ruleset, config.model(6).ruleset);
  if (heavy) problems.push(heavy);
  return { config, problems, sources: [...sources, ...services.sources.filter((other) => !sources.some((known) => known.path === other.path))] };
}

export const nftablesConf: FormatHandler<NftablesConfig> = {
  id: 'nftables',
  model: nftablesModel,
  label: text('nftables.label'),
  commentPrefix: '#',
  detectByName: isNftName,
  detectByContent: (head) =>
    /^#!\s*\/usr\/s?bin\/nft\b/m.test(head) ||
    (/^[^\S\r\n\u2028\u2029]*table\s+(inet|ip|ip6|netdev|bridge|arp)\s+[\w-]+\s*\{/m.test(head) && /\bhook\s+\w+/.test(head)),
  async load(source, context) {
    const { config, problems, sources } = await loadNftables(source, context.files);
    return { model: config, problems, sources };
  },
};

export const nftablesFormats: FormatHandler<unknown>[] = [nftablesConf];
