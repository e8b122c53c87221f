// The fuzzer's mutations (test/fuzz/mutate.ts) must never end a run: a step whose text JavaScript cannot hold
// (200 copies of a block with a 4 MB line) threw "Invalid string length" and stopped a 700,000-input part.
import assert from 'node:assert/strict';
import { MUTATORS, mutate } from '../fuzz/mutate';
import { random } from '../fuzz/random';

describe('fuzz mutations', () => {
  it('skip a step whose text cannot be held, and let other errors through', () => {
    const saved = MUTATORS.duplicateLines!;
    let thrown = 0;
    MUTATORS.duplicateLines = () => {
      thrown++;
      throw new RangeError('Invalid string length');
    };
    try {
      for (let seed = 0; seed < 300; seed++) {
        const { text, steps } = mutate('a = 1\nb = 2\n', random(seed), []);
        assert.equal(typeof text, 'string');
        assert.ok(!steps.includes('duplicateLines'), steps.join(','));
      }
      assert.ok(thrown > 0, 'the failing step was tried');
      MUTATORS.duplicateLines = () => {
        throw new TypeError('a bug in a mutator');
      };
      assert.throws(() => {
        for (let seed = 0; seed < 300; seed++) mutate('a = 1\nb = 2\n', random(seed), []);
      }, TypeError);
    } finally {
      MUTATORS.duplicateLines = saved;
    }
  });
});
