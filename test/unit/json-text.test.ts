// JSON and SARIF reports are written in pieces (src/cli/json-text.ts): joined, the pieces are exactly the text of
// JSON.stringify(value, null, 2), and no piece is the whole report of a large audit.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { batched, jsonPieces } from '../../src/cli/json-text';
import { runCli } from '../support/run-cli';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

const joined = (value: unknown) => [...jsonPieces(value)].join('');
const expected = (value: unknown) => JSON.stringify(value, null, 2) as string | undefined;

describe('JSON text in pieces', () => {
  it('gives the text of JSON.stringify(value, null, 2) for values of every kind and depth', () => {
    const nullPrototype = Object.assign(Object.create(null) as object, { b: 1, a: [2, { c: 'x' }] });
    const values: unknown[] = [
      null,
      0,
      -1.5,
      'plain',
      'line\nbreak "quoted" \\ 日本語 \u2028',
      true,
      [],
      {},
      [[]],
      [{}],
      { a: [] },
      { a: {} },
      [1, [2, [3, [4, [5, [6]]]]]],
      { a: { b: { c: { d: { e: { f: 'deep' } } } } } },
      { kept: 1, gone: undefined, fn: () => 1, sym: Symbol('s'), last: 'x' },
      { gone: undefined },
      [undefined, () => 1, Symbol('s'), 'x'],
      { when: new Date(0), nested: { when: new Date(1) } },
      { custom: { toJSON: () => undefined }, other: 1 },
      { custom: { toJSON: () => ({ replaced: [1, 2] }) } },
      [{ toJSON: () => undefined }],
      { map: new Map([[1, 2]]), set: new Set([1]) },
      nullPrototype,
      { '"key"\n': 1, 日本: { 語: ['ja'] } },
      { runs: [{ results: [{ a: 1, locations: [{ region: { startLine: 3 } }] }, { b: [] }] }] },
    ];
    values.forEach((value, index) => assert.equal(joined(value), expected(value) ?? '', `value ${index}`));
  });

  it('writes nothing for a value JSON.stringify writes nothing for', () => {
    assert.deepEqual([...jsonPieces(undefined)], []);
    assert.deepEqual([...jsonPieces(() => 1)], []);
  });

  it('batches pieces into runs without losing or reordering any character', () => {
    const pieces = Array.from({ length: 1000 }, (_, index) => `piece ${index};`);
    const runs = [...batched(pieces, 100)];
    assert.equal(runs.join(''), pieces.join(''));
    assert.ok(runs.length > 50, `${runs.length} runs`);
    assert.ok(runs.every((run) => run.length < 120));
    assert.deepEqual([...batched([], 100)], []);
  });
});

describe('CLI: JSON and SARIF reports written in pieces', () => {
  let folder: string;
  before(() => (folder = mkdtempSync(path.join(tmpdir(), 'scr-json-text-'))));
  after(() => rmSync(folder, { recursive: true, force: true }));

  for (const format of ['json', 'sarif'])
    it(`gives the ${format} report of the corpus exactly as JSON.stringify(report, null, 2) writes it, to a pipe and to a file`, () => {
      const file = path.join(folder, `report.${format}`);
      const piped = runCli(['audit', CORPUS, '--format', format, '--fail-on', 'none'], folder);
      assert.equal(piped.code, 0, piped.stderr);
      const report = JSON.parse(piped.stdout) as unknown;
      assert.equal(piped.stdout, `${JSON.stringify(report, null, 2)}\n`);
      const written = runCli(['audit', CORPUS, '--format', format, '--fail-on', 'none', '--output', file], folder);
      assert.equal(written.code, 0, written.stderr);
      assert.equal(readFileSync(file, 'utf8'), piped.stdout);
      // Many findings: the report is built of many pieces (a file, a finding, a SARIF result or rule), none of them holding it whole.
      const pieces = [...jsonPieces(report)];
      assert.ok(pieces.length > 100, `${pieces.length} pieces`);
      assert.ok(Math.max(...pieces.map((piece) => piece.length)) < piped.stdout.length / 10);
    });
});
