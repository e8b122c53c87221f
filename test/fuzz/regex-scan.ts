// Finds every regular expression written in the product's source (regex literals and `new RegExp(...)` /
// `RegExp(...)` with a literal pattern) and judges each with `recheck`, a ReDoS checker that runs offline.
// Used by test/unit/regex-safety.test.ts and by `tsx test/fuzz/regex-scan.ts` (prints every verdict).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import type * as RecheckModule from 'recheck';

type Recheck = typeof RecheckModule;

export interface SourceRegex {
  /** Path relative to the repository root, '/'-separated. */
  file: string;
  /** 1-based line of the regex. */
  line: number;
  pattern: string;
  flags: string;
}

export interface RegexVerdict extends SourceRegex {
  status: 'safe' | 'vulnerable' | 'unknown';
  /** For a vulnerable regex: the complexity (polynomial degree or exponential) and an attack string. */
  complexity?: string;
  attack?: string;
  error?: string;
}

const ROOT = path.resolve(__dirname, '../..');

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function literalText(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return undefined;
}

/** Every regex with a literal pattern in `text`, in source order. */
export function regexesIn(file: string, text: string): SourceRegex[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: SourceRegex[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(source);
      const close = literal.lastIndexOf('/');
      found.push({ file, line: lineOf(node), pattern: literal.slice(1, close), flags: literal.slice(close + 1) });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const pattern = literalText(node.arguments?.[0]);
      if (pattern !== undefined) found.push({ file, line: lineOf(node), pattern, flags: literalText(node.arguments?.[1]) ?? '' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every regex with a literal pattern under `src/` of the repository. */
export function sourceRegexes(root = ROOT): SourceRegex[] {
  return sourceFiles(path.join(root, 'src')).flatMap((full) => regexesIn(path.relative(root, full).split(path.sep).join('/'), readFileSync(full, 'utf8')));
}

/** recheck's verdict on one regex; the pure JavaScript backend, seeded, with a time budget per regex. */
export function judgeRegex(regex: SourceRegex, timeoutMs = 3000, checker: 'auto' | 'automaton' | 'fuzz' = 'auto'): RegexVerdict {
  // The pure backend runs in this process: no native binary, no JVM, nothing fetched.
  process.env.RECHECK_SYNC_BACKEND = 'pure';
  // Loaded only after the backend is chosen (recheck reads the variable when it is loaded and when it checks).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const recheck = require('recheck') as Recheck;
  const result = recheck.checkSync(regex.pattern, regex.flags, { timeout: timeoutMs, randomSeed: 1, checker });
  if (result.status === 'vulnerable') {
    const complexity = result.complexity.type === 'polynomial' ? `polynomial (degree ${result.complexity.degree})` : 'exponential';
    return { ...regex, status: 'vulnerable', complexity, attack: result.attack.pattern };
  }
  if (result.status === 'unknown') return { ...regex, status: 'unknown', error: String(result.error?.kind ?? result.error) };
  return { ...regex, status: 'safe' };
}

if (require.main === module) {
  const started = Date.now();
  // Optional arguments: path prefixes (src/families/sshd/ ...) to judge only those files.
  const only = process.argv.slice(2);
  const verdicts = sourceRegexes()
    .filter((regex) => only.length === 0 || only.some((prefix) => regex.file.startsWith(prefix)))
    .map((regex) => judgeRegex(regex));
  for (const verdict of verdicts)
    if (verdict.status !== 'safe')
      console.log(
        `${verdict.file}:${verdict.line}\t${verdict.status}\t${verdict.complexity ?? verdict.error ?? ''}\t/${verdict.pattern}/${verdict.flags}\tattack: ${verdict.attack ?? ''}`,
      );
  const count = (status: string) => verdicts.filter((verdict) => verdict.status === status).length;
  console.log(`${verdicts.length} regexes: ${count('vulnerable')} vulnerable, ${count('unknown')} unknown, ${Date.now() - started} ms`);
}
