// Runs the in-editor mocha suite. Two hosts load this module:
//  - @vscode/test-electron (test/editor/run-electron.ts) calls run(), which rejects on failure;
//  - the code-server runner extension (test/editor/runner-extension) calls runSuite() and writes
//    the result to a file the driving script reads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  language: string;
  tests: TestOutcome[];
  measurements: Record<string, string>;
}

export async function runSuite(): Promise<SuiteResult> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const file of fs.readdirSync(__dirname).sort()) if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  const tests: TestOutcome[] = [];
  const started = Date.now();
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('fail', (test, error: Error) => tests.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? String(error) }));
    runner.on('pending', (test) => tests.push({ title: test.fullTitle(), state: 'pending' }));
  });
  const vscode = await import('vscode');
  // Test files are separate bundles, each with its own copy of helpers: they share figures through a global.
  const measurements = ((globalThis as Record<string, unknown>).secureConfigReviewMeasurements ?? {}) as Record<string, string>;
  return {
    passed: tests.filter((test) => test.state === 'passed').length,
    failed: tests.filter((test) => test.state === 'failed').length,
    pending: tests.filter((test) => test.state === 'pending').length,
    durationMs: Date.now() - started,
    language: vscode.env.language,
    tests,
    measurements,
  };
}

/** The entry point @vscode/test-electron expects. */
export async function run(): Promise<void> {
  const result = await runSuite();
  if (result.failed > 0) throw new Error(`${result.failed} editor tests failed`);
}
