import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { parseArgs } from 'node:util';
import type * as V8 from 'node:v8';
import { text } from '../core/check';
import { closestName } from '../core/did-you-mean';
import {
  type AuditedFile,
  type Language,
  type PathProblem as ReportProblem,
  type SarifOptions,
  SEVERITY_ORDER,
  countFindings,
  toMarkdownReport,
  toSarif,
} from '../core/report';
import type { Severity } from '../core/types';
import { audit, findProjectConfig, loadSettings } from './audit';
import { isAuditWorker, serveAuditWorker } from './audit-workers';
import { explain, writeDocs } from './explain';
import { CliError, PROGRAM, localized, pathProblemText, say, writeError } from './messages';
import { type PathProblem, shownPath } from './walk';
import { VERSION } from './version';
import { batched, jsonPieces } from './json-text';
import { sarifContext } from './sarif';
import { type CiOutcome, applyCiOptions, auditStdin, readStdin, withBaselineStates } from './ci';
import { listRules, listRulesText, outputStyle, textReport, threatSummary } from './output';
import { engine } from '../product';
import { ResultCache, cacheIdentity } from './result-cache';
import type { ProjectSettings } from '../core/types';

const COMMANDS = ['audit', 'explain', 'docs', 'lsp'];
/** Where `--cache` keeps results when --cache-location does not say (in the current folder, as .eslintcache). */
const DEFAULT_CACHE_FILE = '.secure-config-review-cache';
const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
const FAIL_ON = ['error', 'warning', 'note', 'info', 'none'];
const LANGUAGES = ['en', 'ja'];

/** Node's own parser (util.parseArgs): options may stand anywhere, `--name=value` and `--` work as usual. */
const OPTIONS = {
  format: { type: 'string', short: 'f' },
  'fail-on': { type: 'string' },
  config: { type: 'string', short: 'c' },
  lang: { type: 'string' },
  output: { type: 'string', short: 'o' },
  exclude: { type: 'string', multiple: true },
  'no-ignore': { type: 'boolean' },
  'allow-empty-input': { type: 'boolean' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'max-warnings': { type: 'string' },
  stdin: { type: 'boolean' },
  'stdin-filename': { type: 'string' },
  'list-rules': { type: 'boolean' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;
const AUDIT_ONLY = [
  'format',
  'fail-on',
  'config',
  'output',
  'exclude',
  'no-ignore',
  'allow-empty-input',
  'fix',
  'fix-dry-run',
  'baseline',
  'write-baseline',
  'quiet',
  'max-warnings',
  'stdin',
  'stdin-filename',
  'cache',
  'cache-location',
] as const;

interface Options {
  command?: string;
  operands: string[];
  format: (typeof FORMATS)[number];
  failOn: Severity | 'none';
  config?: string;
  language: Language;
  output?: string;
  exclude: string[];
  ignore: boolean;
  allowEmpty: boolean;
  help: boolean;
  version: boolean;
  /** Issue 17 (CLI for CI): see src/cli/ci.ts. */
  fix: boolean;
  fixDryRun: boolean;
  baseline?: string;
  writeBaseline?: string;
  quiet: boolean;
  maxWarnings?: number;
  stdinFilename?: string;
  listRules: boolean;
  /** `--cache` / `--cache-location`: src/cli/result-cache.ts. */
  cache?: string;
}

/** The language to complain in before the arguments are known to be valid. */
function earlyLanguage(argv: readonly string[]): Language {
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === '--') break;
    const value = argv[index] === '--lang' ? argv[index + 1] : argv[index]!.startsWith('--lang=') ? argv[index]!.slice(7) : undefined;
    if (value === 'ja') return 'ja';
  }
  return 'en';
}

/** Node's parseArgs errors, in our words: the option they name is in quotes in its message. */
function usageErrorFrom(error: unknown): CliError {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'([^']+)'/.exec(message ?? '')?.[1] ?? '';
  const name = /--[\w-]+/.exec(option)?.[0] ?? option;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = Object.keys(OPTIONS).map((key) => `--${key}`);
    const near = name.startsWith('--') ? closestName(name, known) : undefined;
    return new CliError(text('cli.unknown-option', { option: name, hint: near ? text('settings.did-you-mean', { name: near }) : '' }), true);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /does not take/.test(message ?? ''))
    return new CliError(text('cli.no-value-allowed', { option: name }), true);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new CliError(text('cli.missing-value', { option: name }), true);
  throw error;
}

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new CliError(text('cli.bad-value', { option: `--${option}`, value, allowed: allowed.join(', ') }), true);
  return value as T;
}

function parseArguments(argv: string[]): Options {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error);
  }
  const { values, positionals } = parsed;
  const [command, ...operands] = positionals;
  const maxWarnings = values['max-warnings'];
  if (maxWarnings !== undefined && !/^\d+$/.test(maxWarnings))
    throw new CliError(text('cli.bad-count', { option: '--max-warnings', value: maxWarnings }), true);
  // With --max-warnings, warnings fail by their number: only errors fail by themselves unless --fail-on says so.
  const failOn = oneOf('fail-on', values['fail-on'], FAIL_ON, maxWarnings !== undefined ? 'error' : 'warning');
  if (values.stdin && values['stdin-filename'] === undefined) throw new CliError(text('cli.stdin-needs-filename'), true);
  const options: Options = {
    command,
    operands,
    format: oneOf('format', values.format, FORMATS, 'text'),
    failOn: failOn === 'note' ? 'info' : (failOn as Options['failOn']),
    language: oneOf('lang', values.lang, LANGUAGES, 'en') as Language,
    exclude: values.exclude ?? [],
    ignore: !values['no-ignore'],
    allowEmpty: Boolean(values['allow-empty-input']),
    help: Boolean(values.help),
    version: Boolean(values.version),
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values.output !== undefined ? { output: values.output } : {}),
    fix: Boolean(values.fix),
    fixDryRun: Boolean(values['fix-dry-run']),
    quiet: Boolean(values.quiet),
    listRules: Boolean(values['list-rules']),
    ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
    ...(values['write-baseline'] !== undefined ? { writeBaseline: values['write-baseline'] } : {}),
    ...(maxWarnings !== undefined ? { maxWarnings: Number(maxWarnings) } : {}),
    ...(values['stdin-filename'] !== undefined ? { stdinFilename: values['stdin-filename'] } : {}),
    ...(values.cache || values['cache-location'] !== undefined ? { cache: values['cache-location'] ?? DEFAULT_CACHE_FILE } : {}),
  };
  if (command !== undefined && command !== 'audit' && !options.help)
    for (const option of AUDIT_ONLY)
      if (values[option] !== undefined) throw new CliError(text('cli.option-not-for-command', { option: `--${option}`, command }), true);
  return options;
}

/** Writes to standard output; the process ends on its own once everything written has been flushed. */
function print(output: string): void {
  if (output) process.stdout.write(output);
}

/**
 * A report in pieces to standard output, each run handed over as soon as it is made. Never waiting for 'drain':
 * a reader that takes standard output only once the summary has come on standard error must get both.
 */
function printPieces(pieces: Iterable<string>): void {
  for (const run of batched(pieces)) process.stdout.write(run);
}

/** A report in pieces to a file (created or emptied first). */
async function writePieces(file: string, pieces: Iterable<string>): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    for (const run of batched(pieces)) await handle.write(run);
  } finally {
    await handle.close();
  }
}

function printError(line: string): void {
  process.stderr.write(`${PROGRAM}: ${line}\n`);
}

async function run(argv: string[]): Promise<number> {
  // The language server (src/lsp): standard input and output. Loaded only for this command (start-up, issue 16).
  if (argv[0] === 'lsp') return (await import('../lsp/server')).runLanguageServer();
  const options = parseArguments(argv);
  const { language } = options;
  if (options.help) {
    print(say(text('cli.usage'), language) + '\n');
    return 0;
  }
  if (options.version) {
    print(`${VERSION}\n`);
    return 0;
  }
  if (options.listRules) {
    const format = oneOf('format', options.format, ['text', 'json'], 'text');
    const rules = listRules(engine, language);
    print(format === 'json' ? JSON.stringify(rules, null, 2) + '\n' : listRulesText(rules, engine, language) + '\n');
    return 0;
  }
  switch (options.command) {
    case undefined:
      throw new CliError(text('cli.no-command'), true);
    case 'explain': {
      if (options.operands.length !== 1) throw new CliError(text('cli.explain-needs-one-id'), true);
      print(explain(options.operands[0]!, language) + '\n');
      return 0;
    }
    case 'docs': {
      if (options.operands.length !== 1) throw new CliError(text('cli.docs-needs-one-folder'), true);
      const written = await writeDocs(options.operands[0]!);
      process.stderr.write(say(text('cli.docs-written', { count: written, folder: options.operands[0]! }), language) + '\n');
      return 0;
    }
    case 'audit':
      return runAudit(options);
    default: {
      const near = closestName(options.command, COMMANDS);
      throw new CliError(text('cli.unknown-command', { command: options.command, hint: near ? text('settings.did-you-mean', { name: near }) : '' }), true);
    }
  }
}

/** The result cache in `file`; one line on standard error when an existing file could not be used. */
function openCache(file: string, settings: ProjectSettings, language: Language): ResultCache {
  const cache = ResultCache.open(path.resolve(file), cacheIdentity(__filename, VERSION, settings));
  if (cache.discarded === 'damaged') printError(say(text('cli.cache-damaged', { path: file }), language));
  if (cache.discarded === 'unreadable') printError(say(text('cli.cache-unreadable', { path: file }), language));
  return cache;
}

/** Writes the result cache; a cache that cannot be written is said on standard error, and the audit goes on. */
function saveCache(cache: ResultCache, file: string, language: Language): void {
  try {
    cache.save();
  } catch (error) {
    printError(say(text('cli.cache-unwritable', { problem: writeError(file, error).detail }), language));
  }
}

/**
 * How much V8 lets the heap grow past what the last full collection kept, in percent. V8's own choice (up to 4×
 * for a process as busy as an audit) took the 10,000-file mixed tree to 395 MB peak RSS while 50 MB were live;
 * 50% keeps it at 263 MB for the same time (issue 16). Worker threads share the setting.
 */
const AUDIT_HEAP_GROWING_PERCENT = 50;

/**
 * An audit with AUDIT_HEAP_GROWING_PERCENT in force. V8 stamps the flags in force into a code cache and rejects
 * a cache whose stamp differs from its own at start-up: the flag is back at its default before the process ends
 * and entry.ts writes the cache (tested by cli-code-cache.test.ts).
 */
async function runAudit(options: Options): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const v8 = require('node:v8') as typeof V8;
  v8.setFlagsFromString(`--heap-growing-percent=${AUDIT_HEAP_GROWING_PERCENT}`);
  try {
    return await auditCommand(options);
  } finally {
    v8.setFlagsFromString('--heap-growing-percent=0');
  }
}

async function auditCommand(options: Options): Promise<number> {
  const { language } = options;
  if (options.stdinFilename !== undefined && options.operands.length) throw new CliError(text('cli.stdin-no-paths'), true);
  if (options.stdinFilename !== undefined && options.fix && !options.fixDryRun) throw new CliError(text('cli.fix-stdin'), true);
  if (options.fixDryRun && options.format !== 'text' && options.output === undefined)
    throw new CliError(text('cli.fix-dry-run-output', { format: options.format }), true);
  const targets = options.operands.length ? options.operands : [options.stdinFilename ?? '.'];
  const configPath = options.config !== undefined ? path.resolve(options.config) : await findProjectConfig(targets[0]!);
  const configShown =
    options.config !== undefined
      ? shownPath(options.config)
      : configPath && (path.isAbsolute(targets[0]!) ? configPath : path.relative(process.cwd(), configPath) || configPath);
  const loaded = await loadSettings(configPath, configShown ?? '');
  if ('unreadable' in loaded) throw new CliError(text('cli.config-unreadable', { problem: pathProblemText(loaded.unreadable) }));
  if ('problems' in loaded) {
    for (const problem of loaded.problems) process.stderr.write(`${configShown}:${problem.line}:${problem.column}: ${say(problem.message, language)}\n`);
    throw new CliError(text('cli.config-invalid', { path: configShown ?? '', count: loaded.problems.length }));
  }
  const stdin = options.stdinFilename !== undefined ? { absolute: path.resolve(options.stdinFilename), content: await readStdin() } : undefined;
  const cache = options.cache !== undefined && !stdin ? openCache(options.cache, loaded.settings, language) : undefined;
  const audited = stdin
    ? await auditStdin(options.stdinFilename!, stdin.content, loaded.settings)
    : await audit(targets, loaded.settings, {
        ignore: options.ignore,
        exclude: options.exclude,
        projectFolder: configPath ? path.dirname(configPath) : process.cwd(),
        cwd: process.cwd(),
        workerScript: __filename, // this bundle serves the audit's worker threads (below)
        ...(cache ? { cache } : {}),
      });
  if (cache) saveCache(cache, options.cache!, language);
  const { problems, unreadableSkipped } = audited;
  const ci = await applyCiOptions(audited.files, { ...options, targets, settings: loaded.settings, ...(stdin ? { stdin } : {}) });
  const { files } = ci;
  for (const problem of problems) printError(say(pathProblemText(problem), language));
  const tooManyWarnings = options.maxWarnings !== undefined && ci.warnings > options.maxWarnings;
  const exitCode = Math.max(auditExitCode(files, problems, options), tooManyWarnings ? 1 : 0);
  const sarif = options.format === 'sarif' ? { ...(await sarifContext(targets, files, process.cwd(), ci.texts)), exitCode } : undefined;
  const output = render(files, problems, unreadableSkipped, options, sarif, ci);
  if (options.fixDryRun) print(ci.diff);
  if (options.output !== undefined) {
    try {
      await writePieces(options.output, output);
    } catch (error) {
      throw writeError(shownPath(options.output), error);
    }
  } else if (!options.fixDryRun) printPieces(output);
  for (const note of ci.notes) printError(note);
  const counts = countFindings(files);
  const baselined = ci.baseline?.baselined ?? 0;
  let summary = say(
    text('cli.summary', {
      files: counts.files,
      findings: counts.findings,
      errors: counts.bySeverity.error,
      warnings: counts.bySeverity.warning,
      infos: counts.bySeverity.info,
    }),
    language,
  );
  if (counts.suppressed > baselined) summary += say(text('cli.summary-suppressed', { count: counts.suppressed - baselined }), language);
  if (baselined) summary += say(text('cli.summary-baselined', { count: baselined }), language);
  if (problems.length) summary += say(text('cli.summary-unreadable', { count: problems.length }), language);
  if (unreadableSkipped) summary += say(text('cli.summary-skipped', { count: unreadableSkipped }), language);
  process.stderr.write([summary, ...threatSummary(engine, files, language)].join('\n') + '\n');
  if (tooManyWarnings) printError(say(text('cli.too-many-warnings', { count: ci.warnings, max: options.maxWarnings! }), language));
  // A path the user named that cannot be read has been said already; it decides the exit code on its own.
  if (exitCode === 2 && !problems.some((problem) => problem.explicit)) printError(say(text('cli.nothing-audited'), language));
  return exitCode;
}

/** The exit code of an audit (computed before the output is written: SARIF records it in `invocations`). */
function auditExitCode(files: AuditedFile[], problems: PathProblem[], options: Options): number {
  if (problems.some((problem) => problem.explicit)) return 2;
  if (files.length === 0 && !options.allowEmpty) return 2;
  if (options.failOn === 'none') return 0;
  const threshold = SEVERITY_ORDER[options.failOn];
  return files.some((file) => file.findings.some((finding) => SEVERITY_ORDER[finding.severity] >= threshold)) ? 1 : 0;
}

function* withNewline(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield '\n';
}

function render(
  files: AuditedFile[],
  problems: PathProblem[],
  unreadableSkipped: number,
  options: Options,
  sarif?: Partial<SarifOptions>,
  ci?: CiOutcome,
): Iterable<string> {
  const reported: ReportProblem[] = problems.map((problem) => ({ path: problem.shown, message: localized(pathProblemText(problem)) }));
  switch (options.format) {
    case 'json': {
      const counts = countFindings(files);
      const summary = { ...counts, unreadable: problems.length, unreadableSkipped };
      const unreadable = reported.map((problem, index) => ({ path: problem.path, reason: problems[index]!.reason, message: problem.message }));
      const baseline = ci?.baseline && { file: ci.baseline.file, root: ci.baseline.root.kind, baselined: ci.baseline.baselined, gone: ci.baseline.gone };
      const extra = { ...(baseline ? { baseline } : {}), ...(ci?.fixes ? { fixes: ci.fixes } : {}) };
      return withNewline(jsonPieces({ version: VERSION, summary, files, unreadable, ...extra }));
    }
    case 'sarif': {
      const log = toSarif(engine.catalogue, files, { ...sarif, toolVersion: VERSION, language: options.language, problems: reported });
      // With --baseline: SARIF's baselineState on every result, and the gone entries as absent results.
      const compared = ci?.baseline ? withBaselineStates(log, ci.baseline, sarif?.sourceRoot?.path, options.language) : log;
      return withNewline(jsonPieces(compared));
    }
    case 'markdown':
      return [toMarkdownReport(engine.catalogue, files, options.language, reported) + '\n'];
    default: {
      const lines = textReport(files, options.language, outputStyle(process.env, Boolean(process.stdout.isTTY) && options.output === undefined));
      return lines.length ? [lines.join('\n') + '\n'] : [];
    }
  }
}

// A reader that stops early (`| head`) closes the pipe: that is not an error of ours, so end quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  printError(say(writeError('-', error).detail, earlyLanguage(process.argv.slice(2))));
  process.exit(2);
});

const argv = process.argv.slice(2);
const debug = argv.includes('--debug');
// A worker thread of a large audit (src/cli/audit-workers.ts) runs this same bundle: it lints, nothing else.
if (isAuditWorker()) serveAuditWorker();
else
  run(argv).then(
    (code) => {
      // Never process.exit() here: output written to a pipe may still be queued, and exit() would drop it.
      process.exitCode = code;
    },
    (error: unknown) => {
      const language = earlyLanguage(argv);
      if (error instanceof CliError) {
        printError(say(error.detail, language));
        if (error.usage) process.stderr.write(say(text('cli.see-help'), language) + '\n');
      } else {
        printError(say(text('cli.internal-error', { detail: error instanceof Error ? error.message : String(error) }), language));
        if (debug) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      }
      process.exitCode = 2;
    },
  );
