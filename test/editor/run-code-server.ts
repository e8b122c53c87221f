// `npm run test:editor`: the real-editor checks, here and in CI.
//  1. installs the test-only tools into .cache/editor-tools (Node 24, code-server, playwright-core)
//  2. packages the product .vsix and the test extensions, installs them into code-server
//  3. runs the in-editor mocha suite inside code-server's extension host (English, then Japanese)
//  4. drives the workbench in headless Chromium and checks what a person sees (ui/checks.ts)
// Prints `N passed, M failed`, exits non-zero on any failure, and stops every process it started.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCT_VSIX, ROOT, buildSuite, packageProduct, packageTestExtensions } from './build';
import { CodeServer, installExtensions, prepareDirs } from './code-server';
import { ensureTools } from './tools';
import { formatSettingProblems, l10nProblems } from './manifest-checks';
import { engine } from '../../src/product';
import { type Browser, launchChromium } from './ui/browser';
import { installThroughServer, runApiSuite } from './ui/api-suite';
import { englishChecks, japaneseChecks } from './ui/checks';
import { Results } from './ui/results';

const RUN_DIR = path.join(ROOT, '.cache', 'editor-run');
export const OUTPUT_DIR = path.join(ROOT, '.test-output', 'editor');
const FIXTURE = path.join(ROOT, 'test-fixtures', 'editor-workspace');

function log(line: string): void {
  console.log(`[test:editor] ${line}`);
}

/** A fresh copy of the fixture workspace per scenario: the tests edit files. */
function workspaceCopy(name: string, marker?: object, fromFixture = true): string {
  const target = path.join(RUN_DIR, 'workspaces', name);
  fs.rmSync(target, { recursive: true, force: true });
  if (fromFixture) fs.cpSync(FIXTURE, target, { recursive: true });
  else fs.mkdirSync(target, { recursive: true });
  if (marker) fs.writeFileSync(path.join(target, '.editor-test-run'), JSON.stringify(marker));
  return target;
}

async function main(): Promise<number> {
  const results = new Results(log);
  const started = Date.now();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    fs.rmSync(OUTPUT_DIR, { recursive: true, force: true });
    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
    await results.check('[static] every user-visible string exists in English and Japanese', async () => {
      const problems = l10nProblems(ROOT);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    });
    await results.check('[static] the fileAssociations setting offers every format the core reads', async () => {
      const problems = formatSettingProblems(
        ROOT,
        engine.formats.map((handler) => handler.id),
      );
      if (problems.length > 0) throw new Error(problems.join('\n'));
    });
    await results.step('install test tools (cached)', async () => ensureTools(log));
    await results.step('package the .vsix', async () => {
      packageProduct();
      log(`${path.basename(PRODUCT_VSIX)}: ${(fs.statSync(PRODUCT_VSIX).size / 1024).toFixed(1)} KiB`);
    });
    const testExtensions = await results.step('build the in-editor suite and test extensions', async () => {
      await buildSuite();
      return packageTestExtensions();
    });
    const dirs = prepareDirs(path.join(RUN_DIR, 'code-server'));
    await results.step('install the .vsix into code-server', async () => installExtensions(dirs, [PRODUCT_VSIX, testExtensions.runner]));
    browser = await launchChromium();

    for (const locale of ['en', 'ja'] as const) {
      server = await results.step(`start code-server (--locale ${locale})`, () => CodeServer.start(dirs, locale));
      const suiteWorkspace = workspaceCopy(`api-${locale}`, { resultsFile: path.join(RUN_DIR, `api-${locale}.json`) });
      await runApiSuite(results, browser, server, suiteWorkspace, locale, path.join(RUN_DIR, `api-${locale}.json`), OUTPUT_DIR);
      const uiWorkspace = workspaceCopy(`ui-${locale}`);
      const checks = locale === 'en' ? englishChecks : japaneseChecks;
      await checks(results, browser, server.openFolderUrl(uiWorkspace), uiWorkspace, OUTPUT_DIR);
      if (locale === 'en') {
        const resultsFile = path.join(RUN_DIR, 'install-ja.json');
        const workspace = workspaceCopy('install-ja', { resultsFile, install: [testExtensions.languagePack] }, false);
        await results.step('install the test-only ja language pack through code-server', () =>
          installThroughServer(browser!, server!, workspace, resultsFile, OUTPUT_DIR),
        );
      }
      await server.stop();
      server = undefined;
    }
  } catch (error) {
    results.fail('run', error);
  } finally {
    await cleanup();
  }
  const { passed, failed } = results.totals();
  log(`screenshots and logs: ${path.relative(ROOT, OUTPUT_DIR)}/ (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  fs.writeFileSync(path.join(OUTPUT_DIR, 'results.json'), JSON.stringify(results.all(), null, 2));
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then((code) => process.exit(code));
