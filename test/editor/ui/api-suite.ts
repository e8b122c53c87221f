// Runs the in-editor mocha suite inside code-server: opening the marked workspace in the browser
// starts the extension host, the runner extension runs the suite and writes its results file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeServer } from '../code-server';
import type { SuiteResult } from '../suite';
import type { Browser } from './browser';
import type { Results } from './results';

const SUITE_TIMEOUT_MS = 240_000;

async function waitForFile(file: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no results in ${file} after ${timeoutMs / 1000} s (see code-server.log and the screenshot)`);
}

/** Opens a marked workspace and returns what the runner extension wrote, with a screenshot either way. */
async function runInEditor(browser: Browser, url: string, resultsFile: string, screenshot: string, timeoutMs: number): Promise<string> {
  fs.rmSync(resultsFile, { force: true });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(url);
    return await waitForFile(resultsFile, timeoutMs);
  } finally {
    await page.screenshot({ path: screenshot }).catch(() => undefined);
    await page.close();
  }
}

/**
 * Installs .vsix files through the running server (the runner extension calls
 * workbench.extensions.installExtension), so VS Code's post-install steps run: for a language pack,
 * registering it in languagepacks.json, which `--install-extension` on the command line skips.
 */
export async function installThroughServer(browser: Browser, server: CodeServer, workspace: string, resultsFile: string, outputDir: string): Promise<void> {
  const screenshot = path.join(outputDir, 'install-language-pack.png');
  const answer = JSON.parse(await runInEditor(browser, server.openFolderUrl(workspace), resultsFile, screenshot, 120_000)) as { error?: string };
  if (answer.error) throw new Error(answer.error);
}

export async function runApiSuite(
  results: Results,
  browser: Browser,
  server: CodeServer,
  workspace: string,
  locale: string,
  resultsFile: string,
  outputDir: string,
): Promise<void> {
  const started = Date.now();
  try {
    const screenshot = path.join(outputDir, `api-suite-${locale}.png`);
    const suite = JSON.parse(await runInEditor(browser, server.openFolderUrl(workspace), resultsFile, screenshot, SUITE_TIMEOUT_MS)) as SuiteResult;
    console.log(
      `[test:editor] in-editor suite (${locale}): ${suite.passed} passed, ${suite.failed} failed in ${(suite.durationMs / 1000).toFixed(1)} s; vscode.env.language = ${suite.language}`,
    );
    for (const [name, value] of Object.entries(suite.measurements ?? {})) console.log(`[test:editor] measured (${locale}): ${name}: ${value}`);
    if (!suite.language.startsWith(locale))
      results.record({
        name: `[api ${locale}] display language`,
        state: 'failed',
        durationMs: 0,
        error: `vscode.env.language is ${suite.language}, expected ${locale}`,
      });
    for (const test of suite.tests) {
      if (test.state === 'pending') continue;
      results.record({
        name: `[api ${locale}] ${test.title}`,
        state: test.state,
        durationMs: test.durationMs ?? 0,
        ...(test.error ? { error: test.error } : {}),
      });
    }
    if (suite.tests.length === 0) results.record({ name: `[api ${locale}] suite ran tests`, state: 'failed', durationMs: 0, error: 'no tests ran' });
  } catch (error) {
    results.fail(`[api ${locale}] run the in-editor suite (${((Date.now() - started) / 1000).toFixed(0)} s)`, error);
  }
}
