// The same in-editor suite under @vscode/test-electron, for machines that can download or already
// have VS Code (this one cannot: `npm run test:editor` runs the suite inside code-server instead).
//   npx tsx test/editor/run-electron.ts [--vscode /path/to/code] [--locale ja]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT, SUITE_ENTRY, buildSuite } from './build';
import { execFileSync } from 'node:child_process';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  execFileSync('node', ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  await buildSuite();
  const workspace = path.join(ROOT, '.cache', 'editor-run', 'workspaces', 'electron');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'test-fixtures', 'editor-workspace'), workspace, { recursive: true });
  const executable = option('--vscode');
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: SUITE_ENTRY,
    ...(executable ? { vscodeExecutablePath: executable } : {}),
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--locale', option('--locale') ?? 'en'],
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
