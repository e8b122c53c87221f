// Reads squid.conf with its includes (glob, name order; a copy of /etc/squid resolves in its own folder) and
// builds the ACLs and http_access rules as Squid does: predefined ACLs first, `acl` lines appending to an ACL
// of the same name and type, "file" values read line by line. A file of conf.d/ is read inside the
// squid.conf that includes it.
import { type TextRef, text } from '../../core/check';
import type { FileAccess, Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import { SourceText } from '../../core/source';
import { basename, dirname, joinPath, readReferenced } from '../shared/paths';
import { globFiles } from '../shared/glob-files';
import { type AddressEntry, keepEntries, parseAddressEntry } from './addresses';
import { type SquidLine, type SquidToken, includeWords, parseSquid } from './syntax';
import { type AccessRule, type Acl, type AclValue, type HttpPort, SquidConfig } from './model';

const MAX_INCLUDE_DEPTH = 16;
const SERVER_FOLDER = '/etc/squid';
const BUILTIN_SPAN: Span = { file: '', start: 0, end: 0 };
/** ACL types whose values are IP addresses. */
export const ADDRESS_TYPES = new Set(['src', 'dst', 'localip']);
const REGEX_TYPES = /(_regex|^dstdom_regex)$/;
/** http_port options that make a port something other than a forward proxy port. */
const NOT_FORWARD = new Set(['accel', 'intercept', 'transparent', 'tproxy']);

/** cf.data.pre: "ACLs all, manager, localhost, to_localhost, and CONNECT are predefined." */
const PREDEFINED: ReadonlyArray<[string, string, string[]]> = [
  ['all', 'src', ['all']],
  ['manager', 'url_regex', ['-i', '^cache_object://', '+i', '^[^:]+://[^/]+/squid-internal-mgr/']],
  ['localhost', 'src', ['127.0.0.1/32', '::1']],
  ['to_localhost', 'dst', ['127.0.0.0/8', '0.0.0.0/32', '::1/128', '::/128']],
  ['CONNECT', 'method', ['CONNECT']],
];

class SquidReader {
  readonly lines: SquidLine[] = [];
  readonly acls = new Map<string, Acl>();
  readonly access: AccessRule[] = [];
  readonly ports: HttpPort[] = [];
  readonly later: SquidLine[] = [];
  readonly sources = new Map<string, SourceText>();
  readonly unresolved: Span[] = [];

  constructor(
    private readonly files: FileAccess,
    private readonly rootFolder: string,
    private readonly linted: SourceText,
    private readonly problems: ParseProblem[],
  ) {
    for (const [name, type, values] of PREDEFINED) {
      const acl: Acl = { name, type, builtin: true, lines: [], flags: [], values: [], entries: [], incomplete: false };
      this.addValues(
        acl,
        values.map((value) => ({ text: value, span: BUILTIN_SPAN })),
      );
      this.acls.set(name, acl);
    }
  }

  private problem(span: Span, message: TextRef, severity: 'error' | 'warning' = 'error'): void {
    if (span.file === this.linted.path) this.problems.push({ span, severity, message });
  }

  async read(source: SourceText, depth = 0, chain: string[] = []): Promise<void> {
    this.sources.set(source.path, source);
    const lines = parseSquid(source, source.path === this.linted.path ? this.problems : []);
    for (const line of lines) {
      this.lines.push(line);
      if (!line.active) continue;
      if (line.kind === 'include') await this.include(line, depth, [...chain, source.path]);
      else if (line.kind === 'directive') await this.directive(line);
    }
  }

  finish(): void {
    for (const acl of this.acls.values()) if (ADDRESS_TYPES.has(acl.type)) acl.set = keepEntries(acl.entries);
  }

  private async include(line: SquidLine, depth: number, chain: string[]): Promise<void> {
    if (depth >= MAX_INCLUDE_DEPTH) return;
    for (const word of includeWords(line.text.slice(8))) {
      // A copy of /etc/squid (a repository, a backup) reads its own conf.d first, then the path as written.
      const candidates = [word.startsWith('/') ? word : joinPath(this.rootFolder, word)];
      if (word.startsWith(`${SERVER_FOLDER}/`)) candidates.unshift(joinPath(this.rootFolder, word.slice(SERVER_FOLDER.length + 1)));
      let resolved = false;
      for (const candidate of candidates) {
        const paths = await globFiles(this.files, candidate);
        if (!paths?.length) continue;
        resolved = true;
        for (const path of paths) {
          if (chain.includes(path)) continue;
          const source = path === this.linted.path ? this.linted : await readSource(this.files, path);
          if (source) await this.read(source, depth + 1, chain);
        }
        break;
      }
      if (!resolved) this.unresolved.push(line.span);
    }
  }

  private async directive(line: SquidLine): Promise<void> {
    switch (line.name.text) {
      case 'acl':
        return this.acl(line);
      case 'http_access':
        return this.httpAccess(line);
      case 'http_port': {
        const options = line.args.slice(1).map((arg) => arg.text.split('=')[0]!);
        this.ports.push({ line, forward: !options.some((option) => NOT_FORWARD.has(option)) });
        return;
      }
      case 'miss_access':
      case 'adapted_http_access':
        this.later.push(line);
        return;
    }
  }

  private async acl(line: SquidLine): Promise<void> {
    const [name, typeToken, ...rest] = line.args;
    if (!name || !typeToken) return this.problem(line.span, text('squid.acl-incomplete'));
    let type = typeToken.text;
    if (type === 'myip') type = 'localip';
    if (type === 'myport') type = 'localport';
    // Squid 5 ignores the old `acl manager proto cache_object` line: manager is predefined.
    if (type === 'proto' && name.text === 'manager') return;
    let acl = this.acls.get(name.text);
    if (acl && acl.type !== type) return this.problem(typeToken.span, text('squid.acl-type-changed', { name: name.text, type: acl.type }));
    if (!acl) {
      acl = { name: name.text, type, builtin: false, lines: [], flags: [], values: [], entries: [], incomplete: false };
      this.acls.set(name.text, acl);
    }
    acl.lines.push(line);
    let index = 0;
    while (index < rest.length && /^(-[A-Za-z]\S*|--)$/.test(rest[index]!.text) && !REGEX_TYPES.test(type)) acl.flags.push(rest[index++]!.text);
    const values: Array<SquidToken & { viaFile?: Span }> = [];
    for (const token of rest.slice(index)) {
      const quoted = /^["']([^"']*)["']?/.exec(token.text);
      if (!quoted) {
        values.push(token);
        continue;
      }
      const file = await readReferenced(this.files, quoted[1]!, this.rootFolder, SERVER_FOLDER);
      if (!file) {
        acl.incomplete = true;
        this.unresolved.push(token.span);
        continue;
      }
      this.sources.set(file.path, file);
      values.push(...fileValues(file).map((value) => ({ ...value, viaFile: token.span })));
    }
    this.addValues(acl, values);
  }

  private addValues(acl: Acl, values: Array<SquidToken & { viaFile?: Span }>): void {
    let caseInsensitive = false;
    for (const value of values) {
      if (ADDRESS_TYPES.has(acl.type)) {
        const entry: AddressEntry = { ...parseAddressEntry(value.text, value.span), ...(value.viaFile ? { viaFile: value.viaFile } : {}) };
        if (entry.invalid) this.problem(value.span, text('squid.acl-bad-netmask', { entry: value.text }));
        if (!entry.set) acl.incomplete = true;
        acl.entries.push(entry);
      } else if (REGEX_TYPES.test(acl.type) && (value.text === '-i' || value.text === '+i')) caseInsensitive = value.text === '-i';
      else {
        const item: AclValue = { text: value.text, span: value.span, caseInsensitive };
        acl.values.push(item);
      }
    }
  }

  private httpAccess(line: SquidLine): void {
    const [action, ...names] = line.args;
    // aclParseAccessLine: "expecting 'allow' or 'deny'": the line is skipped, Squid carries on.
    if (!action || (action.text !== 'allow' && action.text !== 'deny'))
      return this.problem(line.span, text('squid.access-action', { action: action?.text ?? '' }), 'warning');
    const acls = [];
    for (const token of names) {
      const negated = token.text.startsWith('!');
      const name = negated ? token.text.slice(1) : token.text;
      if (!this.acls.has(name)) return this.problem(token.span, text('squid.acl-not-found', { name }));
      acls.push({ name, negated, token });
    }
    // aclParseAccessLine: "Access line contains no ACL's, skipping".
    if (acls.length) this.access.push({ line, action: action.text, acls });
  }
}

/** strtokFile: one value a line, from its first word to its last word before a '#' word. */
function fileValues(file: SourceText): SquidToken[] {
  const out: SquidToken[] = [];
  for (let number = 0; number < file.lineCount; number++) {
    const line = file.lineText(number);
    const words = [...line.matchAll(/[^ \t\n\r]+/g)];
    const cut = words.findIndex((word) => word[0].startsWith('#'));
    const kept = cut < 0 ? words : words.slice(0, cut);
    if (!kept.length) continue;
    const start = kept[0]!.index;
    const end = kept[kept.length - 1]!.index + kept[kept.length - 1]![0].length;
    const offset = file.lineStarts[number]!;
    out.push({ text: line.slice(start, end), span: { file: file.path, start: offset + start, end: offset + end } });
  }
  return out;
}

async function readSource(files: FileAccess, path: string): Promise<SourceText | undefined> {
  const content = await files.readFile(path).catch(() => undefined);
  return content === undefined ? undefined : new SourceText(path, content);
}

/** The squid.conf that includes a conf.d file: beside it or one folder up. */
async function findRoot(linted: SourceText, files: FileAccess): Promise<SourceText | undefined> {
  if (basename(linted.path) === 'squid.conf') return undefined;
  const folder = dirname(linted.path);
  for (const candidate of [joinPath(folder, 'squid.conf'), joinPath(dirname(folder), 'squid.conf')]) {
    const source = await readSource(files, candidate);
    if (source) return source;
  }
  return undefined;
}

export async function loadSquid(linted: SourceText, files: FileAccess, problems: ParseProblem[]): Promise<SquidConfig> {
  const root = await findRoot(linted, files);
  if (root) {
    const found: ParseProblem[] = [];
    const reader = new SquidReader(files, dirname(root.path), linted, found);
    await reader.read(root);
    if (reader.sources.has(linted.path)) {
      problems.push(...found);
      return build(reader, linted);
    }
  }
  const reader = new SquidReader(files, dirname(linted.path), linted, problems);
  await reader.read(linted);
  return build(reader, linted);
}

function build(reader: SquidReader, linted: SourceText): SquidConfig {
  reader.finish();
  const sources = [linted, ...[...reader.sources.values()].filter((source) => source.path !== linted.path)];
  return new SquidConfig(reader.lines, reader.acls, reader.access, reader.ports, reader.later, sources, reader.unresolved);
}
