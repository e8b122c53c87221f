// Runs the built CLI (dist/cli.js, built by `npm test` before mocha) as a user would: a separate process,
// in a given folder; as an unprivileged user too (the CI runs as root, for whom every file is readable).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd: string, options: { input?: string } = {}): CliResult {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node esbuild.js` first');
  // The timeout only turns a hang (as `docs /proc/x` once did) into a failure instead of a stuck test run.
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    input: options.input ?? '',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  assert.equal(result.signal, null, `secure-config-review ${args.join(' ')} did not end by itself`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** nobody:nogroup on Debian. */
export const UNPRIVILEGED = { uid: 65534, gid: 65534 };

/**
 * Runs the CLI as an unprivileged user: through setpriv (util-linux) when the tests run as root, directly
 * otherwise. The bundle is copied into `toolFolder` (which the caller makes world-readable), since the
 * checkout may sit below a folder only root may enter.
 */
export function runCliUnprivileged(args: readonly string[], cwd: string, toolFolder: string): CliResult {
  const cli = path.join(toolFolder, 'cli.js');
  if (!existsSync(cli)) {
    mkdirSync(toolFolder, { recursive: true, mode: 0o755 });
    copyFileSync(CLI, cli);
  }
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'setpriv' : process.execPath;
  const prefix = asRoot ? [`--reuid=${UNPRIVILEGED.uid}`, `--regid=${UNPRIVILEGED.gid}`, '--clear-groups', process.execPath] : [];
  const result = spawnSync(command, [...prefix, cli, ...args], { cwd, encoding: 'utf8', input: '', timeout: 120_000 });
  assert.equal(result.error, undefined, `cannot run as an unprivileged user: ${String(result.error)}`);
  assert.equal(result.signal, null, `secure-config-review ${args.join(' ')} did not end by itself`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
