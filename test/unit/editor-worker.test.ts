// The editor's lint worker (issue 11 part 6): large files lint in a worker thread (dist/lint-worker.js, built by
// `npm test` before mocha) with a time budget, so a slow file never holds up the extension host. Outcomes only:
// no assertion here depends on how fast the machine is (a lint that cannot finish is made by a file read that
// never answers).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { normalizeSettings } from '../../src/core/settings';
import type { FileAccess } from '../../src/core/types';
import { type LintJob, type LintOutcome, RoutingRunner, type WorkerBackend } from '../../src/vscode/lint-runner';
import { LintWorkerPool } from '../../src/vscode/worker-pool';
import { engine } from '../../src/product';

const WORKER = path.resolve(__dirname, '../../dist/lint-worker.js');
const MAIN_CF = 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n';
const MASTER_CF = 'submission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=no\n';
const settings = normalizeSettings().settings;

/** A FileAccess over a map of files, recording what was read. */
function filesOf(contents: Record<string, string>): FileAccess & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile: async (file) => {
      reads.push(file);
      return contents[file];
    },
    readDirectory: async (folder) => {
      reads.push(`${folder}/`);
      return undefined;
    },
  };
}

/** A FileAccess whose reads never answer: a lint that reads another file cannot finish. */
const hanging: FileAccess = { readFile: () => new Promise(() => undefined), readDirectory: () => new Promise(() => undefined) };

function job(overrides: Partial<LintJob>): LintJob {
  return { key: 'file:///etc/postfix/main.cf', path: '/etc/postfix/main.cf', text: MAIN_CF, settings, files: filesOf({}), budgetMs: 60_000, ...overrides };
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('editor: the lint worker pool', function () {
  this.timeout(60_000);
  let pool: LintWorkerPool;
  const log: string[] = [];
  before(() => assert.ok(existsSync(WORKER), 'dist/lint-worker.js is missing: run `node esbuild.js` first'));
  beforeEach(() => {
    log.length = 0;
    pool = new LintWorkerPool(WORKER, { log: (line) => log.push(line) });
  });
  afterEach(() => pool.dispose());

  it('lints in a worker with the findings of the main thread, reading other files through the host', async () => {
    const files = filesOf({ '/etc/postfix/master.cf': MASTER_CF });
    const outcome = await pool.run(job({ files }));
    assert.equal(outcome?.kind, 'done');
    const expected = await engine.lintFile('/etc/postfix/main.cf', MAIN_CF, { files: filesOf({ '/etc/postfix/master.cf': MASTER_CF }), settings });
    assert.deepEqual(plain(outcome.kind === 'done' ? outcome.result : undefined), plain(expected));
    assert.deepEqual(
      (outcome.kind === 'done' ? outcome.result.findings : []).map((finding) => finding.ruleId),
      ['postfix/mynetworks-public-range'],
    );
    assert.ok(files.reads.includes('/etc/postfix/master.cf'), `read through the host: ${files.reads.join(', ')}`);
  });

  it('stops a lint past its budget, says which format it was, and serves the next job with a fresh worker', async () => {
    const stopped = await pool.run(job({ files: hanging, budgetMs: 200 }));
    assert.deepEqual(stopped, { kind: 'timeout', format: 'postfix-main', budgetMs: 200 });
    assert.ok(
      log.some((line) => line.includes('stopped after 200 ms')),
      log.join('\n'),
    );
    const next = await pool.run(job({ files: filesOf({}) }));
    assert.equal(next?.kind, 'done');
  });

  it('answers a file that is not a configuration with no format and no findings', async () => {
    const outcome = await pool.run(job({ key: 'file:///src/app.py', path: '/src/app.py', text: 'print("hello")\n' }));
    assert.deepEqual(plain(outcome), { kind: 'done', result: { findings: [], suppressed: [] } });
  });

  it('drops a queued job when a newer one for the same file arrives', async () => {
    const busy = pool.run(job({ key: 'other', files: hanging, budgetMs: 500 }));
    const older = pool.run(job({ text: MAIN_CF.replace('172.0.0.0/8', '172.0.0.0/9') }));
    const newer = pool.run(job({}));
    assert.deepEqual(await older, { kind: 'superseded' });
    assert.equal((await busy)?.kind, 'timeout');
    const outcome = await newer;
    assert.equal(outcome?.kind, 'done');
    assert.equal(outcome.kind === 'done' && outcome.result.findings[0]?.message.en.includes('172.0.0.0/8'), true);
  });

  it('gives up on a worker that cannot start, so that the caller lints on its own thread', async () => {
    const broken = new LintWorkerPool(path.join(path.dirname(WORKER), 'no-such-worker.js'), { log: (line) => log.push(line) });
    try {
      for (let attempt = 0; attempt < 3; attempt++) assert.equal(await broken.run(job({})), undefined);
      assert.equal(broken.broken, true);
      assert.equal(await broken.run(job({})), undefined);
      assert.ok(
        log.some((line) => line.startsWith('lint worker failed to start')),
        log.join('\n'),
      );
    } finally {
      broken.dispose();
    }
  });

  it('answers pending jobs when disposed', async () => {
    const running = pool.run(job({ key: 'a', files: hanging }));
    const queued = pool.run(job({ key: 'b' }));
    pool.dispose();
    assert.equal(await running, undefined);
    assert.equal(await queued, undefined);
    assert.equal(await pool.run(job({})), undefined);
  });
});

describe('editor: where a lint runs', () => {
  /** A worker backend that records its jobs and answers with `answer`. */
  function backend(answer: LintOutcome | undefined): WorkerBackend & { jobs: string[] } {
    const jobs: string[] = [];
    return {
      jobs,
      run: async (item) => {
        jobs.push(item.key);
        return answer;
      },
      dispose: () => undefined,
    };
  }

  it('lints small files on the main thread and large ones in the worker', async () => {
    const worker = backend({ kind: 'timeout', budgetMs: 1 });
    const runner = new RoutingRunner(worker, { minChars: 1000 });
    assert.equal((await runner.lint(job({ key: 'small' }))).kind, 'done');
    assert.deepEqual(await runner.lint(job({ key: 'large', text: MAIN_CF + '#'.repeat(1000) })), { kind: 'timeout', budgetMs: 1 });
    assert.deepEqual(worker.jobs, ['large']);
  });

  it('sends a file whose main-thread lint was slow to the worker from then on, until it is forgotten', async () => {
    const worker = backend({ kind: 'superseded' });
    let clock = 0;
    // The fake clock advances 150 ms per reading: the main-thread lint "took" 150 ms.
    const runner = new RoutingRunner(worker, { minChars: 1000, slowMs: 100, now: () => (clock += 150) });
    assert.equal((await runner.lint(job({ key: 'slow' }))).kind, 'done');
    assert.equal(runner.usesWorker({ key: 'slow', text: MAIN_CF }), true);
    assert.equal((await runner.lint(job({ key: 'slow' }))).kind, 'superseded');
    runner.forget('slow');
    assert.equal(runner.usesWorker({ key: 'slow', text: MAIN_CF }), false);
  });

  it('lints on the main thread when the worker cannot', async () => {
    const runner = new RoutingRunner(backend(undefined), { minChars: 0 });
    const outcome = await runner.lint(job({}));
    assert.equal(outcome.kind === 'done' && outcome.result.findings[0]?.ruleId, 'postfix/mynetworks-public-range');
  });
});
