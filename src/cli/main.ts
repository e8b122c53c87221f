import * as path from 'node:path';
import { engine } from '../product';
import { SEVERITY_ORDER, type Language, toMarkdownReport, toSarif, toTextLines } from '../core/report';
import type { Severity } from '../core/types';
import { audit, findProjectConfig, loadSettings } from './audit';
import { explain, writeDocs } from './explain';
import { VERSION } from './version';

const USAGE = `Usage: secure-config-review audit [paths...] [options]
       secure-config-review explain <rule-id | threat-id>
       secure-config-review docs <folder>     write every rule and catalogue page as Markdown

Audits server configuration files (Postfix, ...) for the mistakes behind real incidents.

Options for audit:
  --format text|json|sarif|markdown   output format (default: text)
  --fail-on error|warning|note|none   lowest severity that makes the exit code 1 (default: warning)
  --config FILE                       project settings (default: nearest .secure-config-review.json)
  --lang en|ja                        language of messages (default: en)
  --output FILE                       write the report to FILE instead of standard output

Exit codes: 0 nothing at or above the threshold, 1 findings, 2 usage or internal error.`;

class UsageError extends Error {}

interface Options {
  command: string;
  paths: string[];
  format: 'text' | 'json' | 'sarif' | 'markdown';
  failOn: Severity | 'none';
  config?: string;
  language: Language;
  output?: string;
}

function parseArguments(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') throw new UsageError('');
  const options: Options = { command, paths: [], format: 'text', failOn: 'warning', language: 'en' };
  const valueOf = (flag: string, allowed?: string[]) => {
    const value = rest.shift();
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (allowed && !allowed.includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}`);
    return value;
  };
  while (rest.length) {
    const argument = rest.shift()!;
    const [flag, inline] = argument.startsWith('--') && argument.includes('=') ? argument.split(/=(.*)/s, 2) : [argument, undefined];
    if (inline !== undefined) rest.unshift(inline);
    switch (flag) {
      case '--format':
        options.format = valueOf(flag, ['text', 'json', 'sarif', 'markdown']) as Options['format'];
        break;
      case '--fail-on': {
        const value = valueOf(flag, ['error', 'warning', 'note', 'info', 'none']);
        options.failOn = value === 'note' ? 'info' : (value as Options['failOn']);
        break;
      }
      case '--config':
        options.config = valueOf(flag);
        break;
      case '--lang':
        options.language = valueOf(flag, ['en', 'ja']) as Language;
        break;
      case '--output':
        options.output = valueOf(flag);
        break;
      case '--help':
        throw new UsageError('');
      default:
        if (flag!.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        options.paths.push(flag!);
    }
  }
  return options;
}

async function run(argv: string[]): Promise<number> {
  const options = parseArguments(argv);
  if (options.command === 'explain') {
    const text = explain(options.paths[0] ?? '', options.language);
    if (!text) throw new UsageError(`no rule or catalogue entry named "${options.paths[0] ?? ''}"`);
    process.stdout.write(text + '\n');
    return 0;
  }
  if (options.command === 'docs') {
    if (!options.paths[0]) throw new UsageError('docs needs an output folder');
    const written = await writeDocs(options.paths[0]);
    process.stderr.write(`wrote ${written} pages to ${options.paths[0]}\n`);
    return 0;
  }
  if (options.command !== 'audit') throw new UsageError(`unknown command ${options.command}`);
  const paths = options.paths.length ? options.paths : ['.'];
  for (const target of paths) {
    try {
      await import('node:fs').then((fs) => fs.promises.stat(target));
    } catch {
      throw new UsageError(`no such file or folder: ${target}`);
    }
  }
  const configPath = options.config ?? (await findProjectConfig(paths[0]!));
  const { settings, problems } = await loadSettings(configPath);
  for (const problem of problems) process.stderr.write(`secure-config-review: settings: ${problem}\n`);
  const files = await audit(paths, settings);
  const output = render(files, options);
  if (options.output) await import('node:fs').then((fs) => fs.promises.writeFile(options.output!, output));
  else process.stdout.write(output);
  const findings = files.flatMap((file) => file.findings);
  if (options.format === 'text') {
    const counts = (['error', 'warning', 'info'] as Severity[]).map(
      (severity) => `${findings.filter((finding) => finding.severity === severity).length} ${severity}`,
    );
    process.stderr.write(`${files.length} files audited, ${findings.length} findings (${counts.join(', ')})\n`);
  }
  if (options.failOn === 'none') return 0;
  const threshold = SEVERITY_ORDER[options.failOn];
  return findings.some((finding) => SEVERITY_ORDER[finding.severity] >= threshold) ? 1 : 0;
}

function render(files: Awaited<ReturnType<typeof audit>>, options: Options): string {
  switch (options.format) {
    case 'json':
      return JSON.stringify({ version: VERSION, files }, null, 2) + '\n';
    case 'sarif':
      return JSON.stringify(toSarif(engine.catalogue, files, { toolVersion: VERSION, helpBase: docsBase(), language: options.language }), null, 2) + '\n';
    case 'markdown':
      return toMarkdownReport(engine.catalogue, files, options.language) + '\n';
    default: {
      const lines = toTextLines(files, options.language);
      return lines.length ? lines.join('\n') + '\n' : '';
    }
  }
}

/** The rule pages ship inside the package (dist/docs/rules, written at build time), so help links work offline. */
function docsBase(): string {
  return `file://${path.resolve(__dirname, 'docs', 'rules').split(path.sep).join('/')}/`;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      if (error.message) process.stderr.write(`secure-config-review: ${error.message}\n\n`);
      process.stderr.write(USAGE + '\n');
    } else process.stderr.write(`secure-config-review: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(2);
  },
);
