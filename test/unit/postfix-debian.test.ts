import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../src/core/types';
import { applyEdits, memoryFiles } from '../support/fixtures';
import { engine } from '../../src/product';

const DEBIAN = path.resolve(__dirname, '../../test-fixtures/debian/postfix-internet-site');
const debianMain = readFileSync(path.join(DEBIAN, 'main.cf'), 'utf8');
const debianMaster = readFileSync(path.join(DEBIAN, 'master.cf'), 'utf8');

async function lint(main: string, master = debianMaster): Promise<{ main: Finding[]; master: Finding[] }> {
  const files = new Map([
    ['/etc/postfix/main.cf', main],
    ['/etc/postfix/master.cf', master],
  ]);
  const access = memoryFiles(files);
  return {
    main: (await engine.lintFile('/etc/postfix/main.cf', main, { files: access })).findings,
    master: (await engine.lintFile('/etc/postfix/master.cf', master, { files: access })).findings,
  };
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

function assertTheMistake(findings: Finding[], text: string, line: number) {
  const errors = findings.filter((finding) => finding.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(findings.map((f) => [f.ruleId, f.range.start.line])));
  const [finding] = errors;
  assert.equal(finding!.ruleId, 'postfix/mynetworks-public-range');
  assert.equal(finding!.range.start.line, line);
  assert.equal(text.slice(finding!.start, finding!.end), '172.0.0.0/8');
  assert.ok(finding!.threats.includes('incident-2020h1-21'));
  const fixed = applyEdits(text, finding!.suggestions[0]!.edits);
  assert.ok(fixed.includes('172.16.0.0/12') && !fixed.includes('172.0.0.0/8'), fixed);
}

describe("Debian's Postfix as installed (Internet Site)", () => {
  it('gets no finding in main.cf or master.cf', async () => {
    const { main, master } = await lint(debianMain);
    assert.deepEqual(
      [...main, ...master].map((f) => `${f.ruleId}:${f.range.start.line + 1}`),
      [],
    );
  });

  it('flags 172.0.0.0/8 added to mynetworks, linked to 項番21, fixed to 172.16.0.0/12', async () => {
    const text = debianMain.replace('[::1]/128', '[::1]/128 172.0.0.0/8');
    assertTheMistake((await lint(text)).main, text, lineOf(text, 'mynetworks ='));
  });

  it('flags it behind $name, on the line that writes it', async () => {
    const text = debianMain.replace('[::1]/128', '[::1]/128 $office') + 'office = 192.168.1.0/24 172.0.0.0/8\n';
    const { main } = await lint(text);
    assertTheMistake(main, text, lineOf(text, 'office ='));
    assert.ok(main[0]!.related.some((related) => related.range.start.line === lineOf(text, 'mynetworks =')));
  });

  it('flags it on a continuation line', async () => {
    const text = debianMain.replace('[::1]/128', '[::1]/128\n    172.0.0.0/8');
    assertTheMistake((await lint(text)).main, text, lineOf(text, '    172.0.0.0/8'));
  });

  it('flags it in a master.cf -o override', async () => {
    const master = debianMaster.replace(/^(smtp\s+inet.*)$/m, '$1\n  -o mynetworks=127.0.0.0/8,172.0.0.0/8');
    const { main, master: findings } = await lint(debianMain, master);
    assert.deepEqual(main, []);
    assertTheMistake(findings, master, lineOf(master, '-o mynetworks='));
  });

  it('says nothing when a later definition overrides it or it is commented out', async () => {
    const overridden = debianMain.replace('mynetworks =', 'mynetworks = 172.0.0.0/8\nmynetworks =');
    const commented = debianMain.replace('[::1]/128', '[::1]/128\n#    172.0.0.0/8');
    for (const text of [overridden, commented]) {
      const { main } = await lint(text);
      assert.deepEqual(
        main.map((f) => f.ruleId),
        [],
      );
    }
  });
});
