import { type TextRef, modelKey, text } from '../../core/check';
import type { FileAccess } from '../../core/types';
import type { FormatHandler, LoadContext, Loaded, ParseProblem } from '../../core/format';
import { type SourceText } from '../../core/source';
import { type ContentVerdict, contentLines, countShapes, looksLikeMarkup, verdictFromLines } from '../../core/sniff';
import { parseMainCf } from './main-cf';
import { parseMasterCf } from './master-cf';
import { type ExpansionProblem, type ListFile, PostfixConfig, splitList } from './config';
import { MAX_EXPANDED_LENGTH, MAX_NESTING } from './expand';
import { MAX_RESTRICTION_ITEMS, analyseRelay, strangerToLocalRefused } from './restrictions';
import { mynetworksEntries } from './mynetworks';
import { logicalLines } from './logical-lines';
import { dirname, joinPath, readReferenced, readSource } from '../shared/paths';

export { PostfixConfig } from './config';

function readSibling(files: FileAccess, path: string, name: string): Promise<SourceText | undefined> {
  return readSource(files, joinPath(dirname(path), name));
}

/** Parameters whose lists may name files of patterns; the checks read these files through the model. */
const FILE_LIST_PARAMETERS = ['mynetworks'];

/** A pattern file: one or more patterns a line, `#` comments; for `cidr:` tables only the left column counts. */
function listFileItems(source: SourceText, isTable: boolean): ListFile {
  const items = logicalLines(source).flatMap((line) => {
    const entries = splitList(line.value);
    return isTable ? entries.slice(0, 1) : entries;
  });
  return { source, items };
}

async function loadPostfix(source: SourceText, context: LoadContext, isMaster: boolean): Promise<Loaded<PostfixConfig>> {
  const problems: ParseProblem[] = [];
  const mainSource = isMaster ? await readSibling(context.files, source.path, 'main.cf') : source;
  const masterSource = isMaster ? source : await readSibling(context.files, source.path, 'master.cf');
  const sources = [source, ...[mainSource, masterSource].filter((other): other is SourceText => other !== undefined && other !== source)];
  // Problems in the sibling file are reported when that file itself is linted.
  const siblingProblems: ParseProblem[] = [];
  const main = mainSource ? parseMainCf(mainSource, isMaster ? siblingProblems : problems) : undefined;
  const master = masterSource ? parseMasterCf(masterSource, isMaster ? problems : siblingProblems) : undefined;
  const listFiles = new Map<string, ListFile>();
  const config = new PostfixConfig(main, master, listFiles);
  const configFolder = dirname(mainSource?.path ?? source.path);
  const configDirectory = config.parameter('config_directory').expanded.text || '/etc/postfix';
  for (const service of config.evaluatedServices)
    for (const name of FILE_LIST_PARAMETERS)
      for (const item of config.list(name, service)) {
        const reference = item.text.replace(/^!/, '');
        const isTable = reference.startsWith('cidr:');
        const path = isTable ? reference.slice(5) : reference;
        if (!path.startsWith('/') || listFiles.has(reference)) continue;
        // As Postfix reads it on the server, else from the folder main.cf was found in (a copy of /etc/postfix).
        const file = await readReferenced(context.files, path, configFolder, configDirectory);
        if (file) {
          listFiles.set(reference, listFileItems(file, isTable));
          sources.push(file);
        }
      }
  evaluateAll(config);
  // Expansion failures in the sibling file are reported when that file itself is linted.
  for (const problem of config.expansionProblems)
    if (problem.span?.file === source.path) problems.push({ span: problem.span, severity: 'warning', message: expansionMessage(problem) });
  return { model: config, problems, sources };
}

/**
 * Parameters smtpd evaluates and the checks read. Postfix expands a parameter when a program uses it, so a
 * `$name` loop is fatal only there: these are expanded while loading (each once), and failures found then.
 */
const USED_PARAMETERS = [
  'compatibility_level',
  'config_directory',
  'inet_interfaces',
  'mynetworks',
  'mynetworks_style',
  'smtpd_client_auth_rate_limit',
  'smtpd_enforce_tls',
  'smtpd_restriction_classes',
  'smtpd_sasl_auth_enable',
  'smtpd_tls_auth_only',
  'smtpd_tls_security_level',
  'smtpd_tls_wrappermode',
  'smtpd_use_tls',
];

/** The parameters and analyses the checks read, computed now (each once) so that every failure is found while loading. */
function evaluateAll(config: PostfixConfig): void {
  for (const service of config.evaluatedServices) {
    for (const name of USED_PARAMETERS) config.parameter(name, service);
    mynetworksEntries(config, service);
    analyseRelay(config, service);
    strangerToLocalRefused(config, service);
  }
}

function expansionMessage(problem: ExpansionProblem): TextRef {
  switch (problem.kind) {
    case 'loop':
      return text('postfix.expansion-loop', { name: problem.name, loop: problem.loop.map((name) => `$${name}`).join(' → ') });
    case 'nesting':
      return text('postfix.expansion-nesting', { name: problem.name, limit: MAX_NESTING });
    case 'too-long':
      return text('postfix.expansion-too-long', { name: problem.name, limit: MAX_EXPANDED_LENGTH.toLocaleString('en-US') });
    case 'restriction-classes':
      return text('postfix.restriction-classes-limit', { name: problem.name, limit: MAX_RESTRICTION_ITEMS.toLocaleString('en-US') });
  }
}

/** main.cf: `name = value` lines, each continued by lines that start with white space. */
export function judgeMainCf(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let good = 0;
  let parameters = 0;
  let inParameter = false;
  for (const line of lines) {
    if (!line.indented && /^[a-z][\w]*[ \t]*=/i.test(line.text)) {
      parameters++;
      good++;
      inParameter = true;
    } else if (line.indented && inParameter) good++;
    else inParameter = false;
  }
  return verdictFromLines(good, parameters, lines.length, 0.8, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace', 'yaml']));
}

/** A master.cf service line: name, type, then private, unpriv and chroot as y, n or -. */
const MASTER_SERVICE = /^[\w.:[\]-]+[ \t]+(inet|unix|fifo|pass|unix-dgram)[ \t]+[-yn][ \t]+[-yn][ \t]+[-yn][ \t]/;

/** master.cf: service lines, each continued by lines that start with white space (`-o name=value`). */
export function judgeMasterCf(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let good = 0;
  let services = 0;
  let inService = false;
  for (const line of lines) {
    if (!line.indented && MASTER_SERVICE.test(line.text)) {
      services++;
      good++;
      inService = true;
    } else if (line.indented && inService) good++;
    else inService = false;
  }
  return verdictFromLines(good, services, lines.length, 0.8, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace', 'assign', 'yaml']));
}

/** The postfix model: what this family's loader produces and its checks read. */
export const postfixModel = modelKey<PostfixConfig>('postfix');

export const postfixMain: FormatHandler<PostfixConfig> = {
  id: 'postfix-main',
  model: postfixModel,
  label: text('postfix.label-main-cf'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => baseName === 'main.cf',
  // A renamed copy (main.cf.debian, a file in a repo) still reads as Postfix when typical parameters appear.
  detectByContent: (head) =>
    (head.match(/^(smtpd_\w+|smtp_\w+|mynetworks|myhostname|mydestination|myorigin|relayhost|inet_interfaces|alias_maps|alias_database)[ \t]*=/gm)?.length ??
      0) >= 2 && judgeMainCf(head) === 'fits',
  judgeContent: judgeMainCf,
  load: (source, context) => loadPostfix(source, context, false),
};

export const postfixMaster: FormatHandler<PostfixConfig> = {
  id: 'postfix-master',
  model: postfixModel,
  label: text('postfix.label-master-cf'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => baseName === 'master.cf',
  detectByContent: (head) => judgeMasterCf(head) === 'fits',
  judgeContent: judgeMasterCf,
  load: (source, context) => loadPostfix(source, context, true),
};

export const postfixFormats: FormatHandler<unknown>[] = [postfixMain, postfixMaster];
