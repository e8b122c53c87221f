// SourceText's line index (src/core/source.ts) against the definition editors use: a line ends after every
// `\n`, and after a `\r` that no `\n` follows. The index is found with indexOf for speed; this compares it with
// a plain loop over the characters on seeded texts made of line ends and a few other characters.
import assert from 'node:assert/strict';
import { SourceText, lineStartsOf } from '../../src/core/source';
import { random } from '../fuzz/random';

function byDefinition(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

describe('SourceText line index', () => {
  it('starts lines where editors do, for any mix of \\n, \\r\\n and lone \\r', () => {
    const generator = random(2026);
    const pieces = ['\r', '\n', '\r\n', '\n\r', '\r\r', 'a', 'bc', ' ', '\u2028'];
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      const length = generator.int(40);
      for (let i = 0; i < length; i++) text += generator.pick(pieces);
      assert.deepEqual(lineStartsOf(text), byDefinition(text), JSON.stringify(text));
    }
  });

  it('answers positions and line texts from that index', () => {
    const source = new SourceText('/x', 'a\r\nbb\rccc\n\nd');
    assert.deepEqual(source.lineStarts, [0, 3, 6, 10, 11]);
    assert.deepEqual(source.positionAt(7), { line: 2, character: 1 });
    assert.equal(source.lineText(1), 'bb');
    assert.equal(source.lineText(4), 'd');
  });
});
