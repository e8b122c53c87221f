// Builds what the real-editor runs need: the product .vsix (npm run package), the in-editor mocha
// suite (one bundle per test file, so mocha loads them as files), the code-server runner extension
// around that suite, and the test-only 'ja' language pack.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { createVSIX } from '@vscode/vsce';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BUILD = path.join(ROOT, '.cache', 'editor-build');
export const RUNNER_DIR = path.join(BUILD, 'runner');
/** What @vscode/test-electron loads as extensionTestsPath. */
export const SUITE_ENTRY = path.join(RUNNER_DIR, 'suite', 'index.js');
export const PRODUCT_VSIX = path.join(ROOT, 'secure-config-review.vsix');

const EDITOR_TESTS = path.join(ROOT, 'test', 'editor');

/** Bundles the suite and the runner extension into .cache/editor-build/runner. */
export async function buildSuite(): Promise<void> {
  fs.rmSync(RUNNER_DIR, { recursive: true, force: true });
  const suiteDir = path.join(EDITOR_TESTS, 'suite');
  const entries = fs.readdirSync(suiteDir).filter((file) => file === 'index.ts' || file.endsWith('.test.ts'));
  const common: esbuild.BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: 'inline',
    logLevel: 'warning',
    // mocha's parallel mode (worker files) is not used in the editor.
    logOverride: { 'require-resolve-not-external': 'silent' },
  };
  // mocha is bundled into index.js, so the runner extension works wherever code-server installs it;
  // the test files use the globals (describe, it) that index.js sets up for them.
  await esbuild.build({
    ...common,
    entryPoints: entries.map((file) => path.join(suiteDir, file)),
    outdir: path.join(RUNNER_DIR, 'suite'),
    external: ['vscode'],
  });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(EDITOR_TESTS, 'runner-extension', 'runner.ts')],
    outfile: path.join(RUNNER_DIR, 'runner.js'),
    external: ['vscode', './suite/index.js'],
  });
  fs.copyFileSync(path.join(EDITOR_TESTS, 'runner-extension', 'package.json'), path.join(RUNNER_DIR, 'package.json'));
}

export function packageProduct(): void {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Packages the runner extension and the language pack as .vsix files for code-server to install. */
export async function packageTestExtensions(): Promise<{ runner: string; languagePack: string }> {
  const runner = path.join(BUILD, 'editor-test-runner.vsix');
  const languagePack = path.join(BUILD, 'editor-test-language-pack-ja.vsix');
  const quiet = { dependencies: false, allowMissingRepository: true, skipLicense: true, allowStarActivation: false } as const;
  await silently(() => createVSIX({ ...quiet, cwd: RUNNER_DIR, packagePath: runner }));
  await silently(() => createVSIX({ ...quiet, cwd: path.join(EDITOR_TESTS, 'language-pack'), packagePath: languagePack }));
  return { runner, languagePack };
}

/** vsce prints warnings meant for publishers (no README, no repository); they say nothing here. */
async function silently<T>(action: () => Promise<T>): Promise<T> {
  const log = console.log;
  const warn = console.warn;
  console.log = () => undefined;
  console.warn = () => undefined;
  try {
    return await action();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}
