// A lint's result must not depend on the lints before it: the engine keeps parsed pieces, models and filled
// texts between lints (the editor re-lints on every keystroke), and a stack overflow caught inside the YAML
// package once made the same file give other problems from one lint to the next. Seeded fuzz inputs of every
// format are linted in order, then again in reverse order in the same process; each result must be the same.
import assert from 'node:assert/strict';
import { engine } from '../../src/product';
import { inputFiles } from '../fuzz/check';
import { makeInput } from '../fuzz/inputs';
import { loadSeeds } from '../fuzz/seeds';

const SEED = 4242;
const INPUTS_PER_FORMAT = 40;

describe('fuzz slice: results do not depend on the lints before them', function () {
  this.timeout(10 * 60_000);

  it('gives each input the same findings linted forwards and backwards', async () => {
    const seeds = loadSeeds(engine);
    const differ: string[] = [];
    let compared = 0;
    for (const format of engine.formats.map((handler) => handler.id)) {
      const inputs = Array.from({ length: INPUTS_PER_FORMAT }, (_, index) => ({
        index,
        input: makeInput(seeds.get(format) ?? [], format, SEED, index, { big: false }),
      }));
      const lint = async ({ input }: (typeof inputs)[number]) => {
        const texts = new Map(Object.entries(input.files));
        texts.set(input.path, input.text);
        const result = await engine.lintFile(input.path, input.text, { files: inputFiles(texts), ...(input.forced ? { format: input.format } : {}) });
        return JSON.stringify([result.format, result.findings, result.suppressed]);
      };
      const forwards: string[] = [];
      for (const entry of inputs) forwards.push(await lint(entry));
      for (let i = inputs.length - 1; i >= 0; i--) {
        compared++;
        if ((await lint(inputs[i]!)) !== forwards[i]) differ.push(`${format} #${inputs[i]!.index} (${inputs[i]!.input.kind})`);
      }
    }
    assert.equal(compared, INPUTS_PER_FORMAT * engine.formats.length);
    assert.deepEqual(differ, [], `reproduce: npm run fuzz -- --seed ${SEED} --small --format F --index N`);
  });
});
