// The character tests of src/core/chars.ts stand in for `/\s/` and String.prototype.trim in the scanners of
// several families; any disagreement would move a span or change a token. Checked over every UTF-16 code unit.
import assert from 'node:assert/strict';
import { isSpaceCode, skipSpace, trimmedEnd } from '../../src/core/chars';
import { random } from '../fuzz/random';

describe('core character classes', () => {
  it('isSpaceCode is /\\s/ for every code unit', () => {
    const disagree: number[] = [];
    for (let code = 0; code < 0x10000; code++) if (isSpaceCode(code) !== /\s/.test(String.fromCharCode(code))) disagree.push(code);
    assert.deepEqual(disagree, []);
  });

  it('skipSpace and trimmedEnd cut where trimStart and trimEnd do', () => {
    const generator = random(7);
    const pieces = [' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u2028', 'a', '#', 'b c', '\u200b'];
    for (let n = 0; n < 5000; n++) {
      let text = '';
      const length = generator.int(12);
      for (let i = 0; i < length; i++) text += generator.pick(pieces);
      const lead = skipSpace(text);
      assert.equal(lead, text.length - text.trimStart().length, JSON.stringify(text));
      assert.equal(trimmedEnd(text), text.trimEnd().length, JSON.stringify(text));
      assert.equal(text.slice(lead, trimmedEnd(text, text.length, lead)), text.trim(), JSON.stringify(text));
      // Bounded: a blank line's scan stops at the line's end, not at the next line's text.
      const to = generator.int(text.length + 1);
      assert.equal(skipSpace(text, 0, to), Math.min(lead, to), JSON.stringify(text));
    }
  });
});
