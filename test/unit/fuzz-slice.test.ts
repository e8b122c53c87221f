// A small, seeded slice of the fuzzer (test/fuzz, `npm run fuzz` for the full run): a few hundred mutated and
// generated inputs per format through the real engine on worker threads. Every input must lint without an
// exception or an internal error, with every range, offset and fix edit inside its file, consistent, and never
// between \r and \n. No timing is asserted; a generous per-input guard turns a hang into a failure.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runFuzz } from '../fuzz/pool';
import { engine } from '../../src/product';

const SEED = 20261206;
const INPUTS_PER_FORMAT = 100;

describe('fuzz slice: seeded mutations of every fixture and corpus file, per format', function () {
  this.timeout(20 * 60_000);

  it('no crash, internal error or invariant violation', async () => {
    const found: string[] = [];
    const report = await runFuzz({
      seed: SEED,
      inputs: INPUTS_PER_FORMAT,
      formats: engine.formats.map((format) => format.id),
      workers: 2,
      big: false,
      repros: true,
      reproRoot: path.resolve(__dirname, '../../.cache/fuzz-repro-slice'),
      growthSizes: [],
      chunk: 50,
      // A hang guard only (never a timing assertion): the inputs of the slice are small.
      hangLimit: () => 120_000,
      onFinding: (finding) => {
        if (finding.violations.length)
          found.push(
            `${finding.format} #${finding.index} (${finding.kind}): ${finding.violations.map((v) => `${v.kind}: ${v.detail.split('\n')[0]}`).join('; ')} ${finding.file}`,
          );
      },
    });
    const total = [...report.stats.values()].reduce((sum, stats) => sum + stats.inputs, 0);
    assert.equal(total, INPUTS_PER_FORMAT * engine.formats.length);
    assert.deepEqual(
      found.slice(0, 20),
      [],
      `${found.length} inputs broke an invariant (reproduce: npm run fuzz -- --seed ${SEED} --small --format F --index N)`,
    );
  });
});
