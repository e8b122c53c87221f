// A real editor from Debian (`apt-get install neovim`) talks to the language server with its built-in client:
// Neovim opens the Postfix fixture, shows the 172.0.0.0/8 finding on its line, applies the suggestion through a
// code action and writes the file. Under CI=true a missing nvim fails this test instead of skipping it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CLI } from '../lsp/client';

const FIXTURE = path.resolve(__dirname, '../lsp/fixtures/postfix/main.cf');
const SCRIPT = path.resolve(__dirname, '../lsp/neovim/run.lua');
const RULE = 'postfix/mynetworks-public-range';
const SUGGESTION = 'Replace 172.0.0.0/8 with the private block 172.16.0.0/12';
/** The whole Neovim session; it waits at most 20 s for each answer itself. */
const SESSION_MS = 90_000;

interface Seen {
  line: number;
  col: number;
  code?: string;
  source?: string;
  message: string;
}

interface Report {
  nvim: string;
  started?: boolean;
  before?: Seen[];
  hover?: string;
  actions?: string[];
  after?: Seen[];
  error?: string;
}

function nvimAvailable(): boolean {
  return spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs nvim headless with the script; kills it (and its server) if it outlives SESSION_MS. */
function runNeovim(env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nvim', ['--headless', '--clean', '-c', `luafile ${SCRIPT}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => {
      // The process group: nvim and the language server it started.
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, SESSION_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

describe('Neovim (built-in LSP client) with the language server', function () {
  this.timeout(SESSION_MS + 30_000);
  let folder: string | undefined;

  before(function () {
    if (nvimAvailable()) return;
    if (process.env.CI === 'true') assert.fail("nvim is missing: .ci/run installs Debian's neovim package");
    this.skip();
  });

  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  });

  it('shows the 172.0.0.0/8 finding on its line and applies the suggestion through a code action', async () => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node esbuild.js` first');
    folder = mkdtempSync(path.join(tmpdir(), 'scr-nvim-'));
    const project = path.join(folder, 'project');
    mkdirSync(project);
    const file = path.join(project, 'main.cf');
    copyFileSync(FIXTURE, file);
    const out = path.join(folder, 'report.json');
    // Everything Neovim would keep (logs, state, the LSP log) stays in the scratch folder.
    const home = path.join(folder, 'home');
    mkdirSync(home);
    const env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_STATE_HOME: path.join(home, 'state'),
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      SCR_OUT: out,
      SCR_FILE: file,
      SCR_RULE: RULE,
      SCR_ACTION: SUGGESTION,
      SCR_NODE: process.execPath,
      SCR_CLI: CLI,
    };
    const run = await runNeovim(env, project);
    assert.equal(run.signal, null, `nvim did not end within ${SESSION_MS} ms: ${run.output}`);
    assert.ok(existsSync(out), `nvim wrote no report (exit ${run.code}): ${run.output}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    assert.equal(report.error, undefined, `Neovim ${report.nvim}: ${report.error}\n${run.output}`);
    assert.equal(run.code, 0);

    const finding = report.before?.find((item) => item.code === RULE);
    assert.ok(finding, JSON.stringify(report.before));
    // Line 5 of the fixture (`mynetworks = 127.0.0.0/8 172.0.0.0/8`), the column where 172.0.0.0/8 starts.
    assert.deepEqual([finding.line, finding.col, finding.source], [4, 25, 'secure-config-review']);
    assert.match(finding.message, /172\.0\.0\.0\/8 trusts 15,728,640 public addresses/);
    assert.match(report.hover ?? '', /`incident-2020h1-21`/);
    assert.deepEqual(report.actions, [SUGGESTION, 'Remove 172.0.0.0/8 from mynetworks', `Suppress ${RULE} on this line with a reason`]);
    assert.deepEqual(report.after, []);

    // The file on disk changed exactly as the suggestion says, and nowhere else.
    const expected = readFileSync(FIXTURE, 'utf8').replace('mynetworks = 127.0.0.0/8 172.0.0.0/8', 'mynetworks = 127.0.0.0/8 172.16.0.0/12');
    assert.equal(readFileSync(file, 'utf8'), expected);
  });
});
