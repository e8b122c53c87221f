// The core's budgets and text handling (issue 11): findings per file, message length, internal errors, reads
// per lint, includes, CRLF and CR positions and fix line endings, byte order marks and UTF-16, suppression
// comments read in one pass. A small family made here drives the engine, so each outcome is exact.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { text } from '../../src/core/check';
import { defineCheck, modelKey } from '../../src/core/check';
import { createLinter } from '../../src/core/engine';
import { defineFamily } from '../../src/core/family';
import { defineFormat } from '../../src/core/format';
import { BudgetedFiles, IncludeBudget, LIMITS, MAX_EMBEDDED_TEXT, limitProblem, truncateText } from '../../src/core/limits';
import { decodeBytes, encodeText } from '../../src/core/encoding';
import { SourceText } from '../../src/core/source';
import { parseSuppressions } from '../../src/core/suppression';
import { contentLines } from '../../src/core/sniff';
import { NextOccurrence } from '../../src/core/occurrence';
import { IgnoreRules } from '../../src/core/ignore';
import type { ParseProblem } from '../../src/core/format';
import type { Finding } from '../../src/core/types';
import { nodeFiles } from '../../src/cli/node-files';
import { engine } from '../../src/product';
import { memoryFiles } from '../support/fixtures';

const none = memoryFiles(new Map());

/** What the test family's checks see: the file, and instructions taken from its lines. */
interface Probe {
  source: SourceText;
  reads: number;
}
const probeModel = modelKey<Probe>('probe');

const rule = (id: string, severity: string, extra: Record<string, unknown> = {}) => ({
  id,
  severity,
  title: { en: id, ja: id },
  message: { en: 'EN {value}', ja: 'JA {value}' },
  why: { en: 'why', ja: 'why' },
  howToFix: { en: 'fix', ja: 'fix' },
  threats: [],
  noIncidentLink: true,
  examples: { bad: {}, good: {} },
  ...extra,
});

/**
 * Lines of a `.probe` file say what to report: `error N` / `warning N` / `info N` (N findings on that line),
 * `long N` (one finding quoting N characters), `fix TEXT` (a finding whose fix inserts TEXT at the line's end),
 * `line` (a fix inserting a new line after this one), `throw` (the check fails), `reads N` (the loader reads
 * N files), `loader-throws`.
 */
const probeFamily = defineFamily({
  id: 'probe',
  formats: [
    defineFormat<Probe>({
      id: 'probe',
      model: probeModel,
      label: text('core.limit.nesting-depth'),
      commentPrefix: '#',
      detectByName: (_path, baseName) => baseName.endsWith('.probe'),
      async load(source, context) {
        if (source.text.includes('loader-throws')) throw new Error('loader broke');
        const reads = /reads (\d+)/.exec(source.text);
        let count = 0;
        for (let i = 0; i < Number(reads?.[1] ?? 0); i++) {
          await context.files.readFile(`/probe/included-${i}.probe`);
          count++;
        }
        return { model: { source, reads: count }, problems: [], sources: [source] };
      },
    }),
  ],
  checks: [
    defineCheck({
      rule: 'probe/flood',
      model: probeModel,
      run({ source }, report) {
        for (let line = 0; line < source.lineCount; line++) {
          const match = /^(error|warning|info) (\d+)$/.exec(source.lineText(line));
          if (!match) continue;
          const start = source.lineStarts[line]!;
          // Distinct spans (equal reports are merged): one character further each time (see PAD).
          for (let i = 0; i < Number(match[2]); i++)
            report({ file: source.path, start, end: start + 1 + i }, { value: i }, { severity: match[1] as 'error' | 'warning' | 'info' });
        }
      },
    }),
    defineCheck({
      rule: 'probe/quote',
      model: probeModel,
      run({ source }, report) {
        for (let line = 0; line < source.lineCount; line++) {
          const lineText = source.lineText(line);
          const start = source.lineStarts[line]!;
          const long = /^long (\d+)$/.exec(lineText);
          if (long) {
            const value = '\u3042'.repeat(Number(long[1]));
            report(
              { file: source.path, start, end: start + 4 },
              { value },
              { fix: { title: 'replace', edits: [{ span: { file: source.path, start, end: start + 4 }, newText: value }] } },
            );
          }
          const fix = /^fix (.*)$/.exec(lineText);
          // Spans as a parser that splits at \n would compute them: the line "ends" at its \n.
          const end = source.text.indexOf('\n', start) < 0 ? source.text.length : source.text.indexOf('\n', start);
          if (fix)
            report(
              { file: source.path, start, end },
              { value: 'x' },
              { fix: { title: 'replace', edits: [{ span: { file: source.path, start: end, end }, newText: fix[1]!.replace(/\\n/g, '\n') }] } },
            );
          if (lineText === 'line')
            report(
              { file: source.path, start, end },
              { value: 'x' },
              { fix: { title: 'replace', edits: [{ span: { file: source.path, start: end, end }, newText: 'added\n' }] } },
            );
        }
      },
    }),
    defineCheck({
      rule: 'probe/throws',
      model: probeModel,
      run({ source }) {
        if (source.text.includes('throw')) throw new Error('check broke');
      },
    }),
  ],
  catalogue: [
    {
      file: 'rules/probe.json',
      rules: [
        rule('probe/flood', 'warning'),
        rule('probe/quote', 'warning', { fixTitles: { replace: { en: 'Use {value}', ja: '{value} を使う' } } }),
        rule('probe/throws', 'warning'),
      ],
    },
  ],
});
const probe = createLinter([probeFamily]);
const lintProbe = (content: string, files = none) => probe.lintFile('/probe/test.probe', content, { files });
/** Text after the probe lines, so that the flood's spans (one character longer each) are all distinct. */
const PAD = `#${'x'.repeat(120_000)}\n`;
const summaryOf = (findings: Finding[]) => findings.filter((finding) => /findings per file/.test(finding.message.en));

describe('core limits: findings per file', () => {
  it('shows at most the limit, the most severe first, and one summary naming what was left out', async () => {
    const { findings } = await lintProbe(`info 600\nerror 300\nwarning 300\n${PAD}`);
    const limit = LIMITS['findings-per-file'];
    assert.equal(findings.length, limit + 1);
    const [summary, ...more] = summaryOf(findings);
    assert.ok(summary && more.length === 0);
    assert.equal(findings.filter((finding) => finding.severity === 'error').length, 300, 'every error is kept');
    assert.equal(findings.filter((finding) => finding.ruleId === 'probe/flood' && finding.severity === 'warning').length, 200);
    assert.equal(summary.severity, 'info');
    assert.equal(summary.ruleId, 'config/parse-problem');
    assert.match(summary.message.en, /limit exceeded: findings per file 500; 700 more findings were left out \(probe\/flood ×700\)/);
    assert.match(summary.message.ja, /上限を超えました: ファイルあたりの検出数 500。ほかの検出 700 件は省略しました（probe\/flood ×700）/);
    // The summary stands where the first finding left out was (the warnings' line, the first in file order).
    assert.equal(summary.range.start.line, 0);
  });

  it('counts a flood without building it: a hundred thousand reports give the same bounded answer', async () => {
    const { findings } = await lintProbe(`warning 100000\n${PAD}`);
    assert.equal(findings.length, LIMITS['findings-per-file'] + 1);
    assert.match(summaryOf(findings)[0]!.message.en, /99500 more findings were left out \(probe\/flood ×99500\)/);
  });

  it('stays silent below the limit', async () => {
    const { findings } = await lintProbe(`warning 500\n${PAD}`);
    assert.equal(findings.length, 500);
    assert.deepEqual(summaryOf(findings), []);
  });

  it('bounds a real flood: a Postfix mynetworks of 600 public ranges', async () => {
    const ranges = Array.from({ length: 600 }, (_, i) => `${(i % 200) + 1}.${(i >> 8) & 255}.${i & 255}.0/24`);
    const { findings } = await engine.lintFile('/m/main.cf', `mynetworks = ${ranges.join(' ')}\n`, { files: none });
    assert.equal(findings.length, LIMITS['findings-per-file'] + 1);
    assert.match(
      summaryOf(findings)[0]!.message.en,
      /limit exceeded: findings per file 500; (\d+) more findings were left out \(postfix\/mynetworks-public-range ×\1\)/,
    );
  });
});

describe('core limits: message length', () => {
  it('quotes at most MAX_EMBEDDED_TEXT characters of user text, in both languages, and never cuts the fix itself', async () => {
    const { findings } = await lintProbe('long 379000\n');
    const [finding] = findings;
    assert.equal(finding!.message.en, `EN ${'\u3042'.repeat(MAX_EMBEDDED_TEXT - 1)}\u2026`);
    assert.equal(finding!.message.ja, `JA ${'\u3042'.repeat(MAX_EMBEDDED_TEXT - 1)}\u2026`);
    assert.ok(finding!.fix!.title.en.length <= MAX_EMBEDDED_TEXT + 10);
    assert.equal(finding!.fix!.edits[0]!.newText.length, 379000);
  });

  it('cuts between whole characters, never inside a surrogate pair', () => {
    const cut = truncateText('a' + '\u{1F600}'.repeat(10), 4);
    assert.equal(cut, 'a\u{1F600}\u2026');
    assert.equal(truncateText('short', 200), 'short');
  });

  it('leaves short values and product lists alone outside findings', () => {
    const long = 'y'.repeat(1000);
    assert.equal(engine.catalogue.resolve(text('settings.unknown-format', { format: 'x', hint: '', formats: long })).en.includes(long), true);
  });
});

describe('core limits: internal errors say what really happened', () => {
  it('a failing check: its failure is reported and every other rule still checked the file', async () => {
    const { findings } = await lintProbe(`throw\nwarning 2\n${PAD}`);
    const internal = findings.filter((finding) => /internal error/.test(finding.message.en));
    assert.equal(internal.length, 1);
    assert.match(internal[0]!.message.en, /internal error in rule probe\/throws: check broke \(the other rules still checked the file/);
    assert.match(internal[0]!.message.ja, /ルール probe\/throws の処理中に内部エラー/);
    assert.equal(findings.filter((finding) => finding.ruleId === 'probe/flood').length, 2);
  });

  it('a failing loader: the one finding says that the file was not checked', async () => {
    const { findings } = await lintProbe('loader-throws\nwarning 2\n');
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message.en, /internal error while reading the file: loader broke; the file was not checked/);
    assert.match(findings[0]!.message.ja, /ファイルの読み取り中に内部エラー: loader broke。このファイルは検査していません/);
    assert.doesNotMatch(findings[0]!.message.en, /still checked/);
  });
});

describe('core limits: reads per lint and includes', () => {
  it('stops reading after the per-lint budget and reports the limit once', async () => {
    const { findings } = await lintProbe(`reads ${LIMITS['file-reads'] + 50}\n`);
    const limit = findings.filter((finding) => /file reads per check/.test(finding.message.en));
    assert.equal(limit.length, 1);
    assert.match(limit[0]!.message.en, new RegExp(`limit exceeded: file reads per check ${LIMITS['file-reads']} \\(what lies beyond it was not read\\)`));
    assert.match(limit[0]!.message.ja, /上限を超えました: 1 回の検査で読むファイル数/);
    const within = await lintProbe('reads 10\n');
    assert.deepEqual(within.findings, []);
  });

  it('BudgetedFiles counts reads, answers absent beyond the limit and drops a BOM', async () => {
    const files = new BudgetedFiles(memoryFiles(new Map([['/a', '\ufeffkey value']])), 2);
    assert.equal(await files.readFile('/a'), 'key value');
    assert.deepEqual(await files.readDirectory('/'), ['a']);
    assert.equal(files.exceeded, false);
    assert.equal(await files.readFile('/b'), undefined);
    assert.equal(files.exceeded, true);
    assert.equal(files.reads, 3);
  });

  it('BudgetedFiles reads each path once per lint; repeated reads still count towards the budget', async () => {
    let inner = 0;
    const disk = memoryFiles(
      new Map([
        ['/a', 'x'],
        ['/d/f', 'y'],
      ]),
    );
    const counted = { readFile: (path: string) => (inner++, disk.readFile(path)), readDirectory: (path: string) => (inner++, disk.readDirectory(path)) };
    const files = new BudgetedFiles(counted, 3000);
    for (let i = 0; i < 1000; i++) {
      assert.equal(await files.readFile('/a'), 'x');
      assert.equal(await files.readFile('/missing'), undefined);
      const names = await files.readDirectory('/d');
      assert.deepEqual(names, ['f']);
      names!.push('changed by the caller');
    }
    assert.deepEqual([inner, files.reads, files.exceeded], [3, 3000, false]);
    assert.equal(await files.readFile('/a'), undefined);
    assert.equal(files.exceeded, true);
  });

  it('IncludeBudget refuses past the depth and the total, reporting each limit once', () => {
    const budget = new IncludeBudget(2, 3);
    const problems: ParseProblem[] = [];
    const span = { file: '/f', start: 0, end: 7 };
    assert.equal(budget.admit(1, span, problems), true);
    assert.equal(budget.admit(2, span, problems), true);
    assert.equal(budget.admit(3, span, problems), false);
    assert.equal(budget.admit(4, span, problems), false);
    assert.equal(budget.admit(1, span, problems), true);
    assert.equal(budget.admit(1, span, problems), false);
    assert.equal(budget.admit(1, span, problems), false);
    assert.equal(budget.admitted, 3);
    assert.deepEqual(
      problems.map((problem) => engine.catalogue.resolve(problem.message).en),
      ['limit exceeded: include depth 2 (what lies beyond it was not read)', 'limit exceeded: included files 3 (what lies beyond it was not read)'],
    );
  });

  it('limitProblem names a limit of the core or of a family, with the core value by default', () => {
    assert.equal(
      engine.catalogue.resolve(limitProblem({ file: '/f', start: 0, end: 1 }, 'expansion-depth').message).en,
      `limit exceeded: expansion depth ${LIMITS['expansion-depth']} (what lies beyond it was not read)`,
    );
    assert.equal(
      engine.catalogue.resolve(limitProblem({ file: '/f', start: 0, end: 1 }, 'nesting-depth', 7).message).ja,
      '上限を超えました: 入れ子の深さ 7（それを超える部分は読み取っていません）',
    );
  });
});

describe('core: line endings', () => {
  const inside = (content: string, offset: number) => content[offset - 1] === '\r' && content[offset] === '\n';

  it("never places a finding or an edit between \\r and \\n, and writes the file's own line breaks", async () => {
    const content = 'fix ;\\nmore\r\nline\r\nother\r\n';
    const { findings } = await lintProbe(content);
    assert.equal(findings.length, 2);
    for (const finding of findings) {
      assert.ok(!inside(content, finding.start) && !inside(content, finding.end), `${finding.start}-${finding.end}`);
      for (const edit of finding.fix!.edits) assert.ok(!inside(content, edit.start) && !inside(content, edit.end));
      assert.equal(finding.range.end.character, content.split('\r\n')[finding.range.start.line]!.length);
    }
    const [inline, line] = findings;
    // An edit at the line's end goes before the \r, with CRLF inside its text.
    assert.equal(inline!.fix!.edits[0]!.start, 'fix ;\\nmore'.length);
    assert.equal(inline!.fix!.edits[0]!.newText, ';\r\nmore');
    // A new line goes after the \n, written with CRLF.
    assert.equal(line!.fix!.edits[0]!.start, 'fix ;\\nmore\r\nline\r\n'.length);
    assert.equal(line!.fix!.edits[0]!.newText, 'added\r\n');
    assert.deepEqual(line!.fix!.edits[0]!.range.start, { line: 2, character: 0 });
  });

  it('writes \\r in a CR-only file and leaves an LF file as it was', async () => {
    const cr = await lintProbe('line\rother\r');
    assert.equal(cr.findings[0]!.fix!.edits[0]!.newText, 'added\r');
    const lf = await lintProbe('line\nother\n');
    assert.equal(lf.findings[0]!.fix!.edits[0]!.newText, 'added\n');
  });

  it('every fix of every real family writes CRLF into a CRLF file', async () => {
    const crlf = 'compatibility_level = 3.6\r\nmynetworks = 127.0.0.0/8 172.0.0.0/8\r\nsmtpd_tls_security_level = none\r\n';
    const { findings } = await engine.lintFile('/m/main.cf', crlf, { files: none });
    const edits = findings.flatMap((finding) => [...(finding.fix ? [finding.fix] : []), ...finding.suggestions]).flatMap((fix) => fix.edits);
    for (const edit of edits) {
      assert.doesNotMatch(edit.newText, /(^|[^\r])\n/);
      assert.ok(!inside(crlf, edit.start) && !inside(crlf, edit.end));
    }
  });

  it('knows the dominant line ending and moves offsets off a CRLF pair', () => {
    const source = new SourceText('/f', 'a\r\nb\r\nc\n');
    assert.equal(source.lineEnding, '\r\n');
    assert.equal(source.safeOffset(2), 1);
    assert.equal(source.safeOffset(2, true), 3);
    assert.equal(source.safeOffset(99), source.text.length);
    assert.equal(new SourceText('/f', 'a\rb\r').lineEnding, '\r');
    assert.equal(new SourceText('/f', 'one line').lineEnding, '\n');
    assert.equal(source.withLineEnding('x\ny\r\nz'), 'x\r\ny\r\nz');
  });

  it('detection reads CR-only files line by line, as editors show them', () => {
    assert.deepEqual(
      contentLines('a = 1\rb = 2\r\n# c\rd').map((line) => line.text),
      ['a = 1', 'b = 2', 'd'],
    );
    const lf = 'services:\n  db:\n    image: redis\n    ports:\n      - "6379:6379"\n';
    assert.equal(engine.detectFormat('/x/stack.yml', lf.replace(/\n/g, '\r'))?.id, engine.detectFormat('/x/stack.yml', lf)?.id);
  });

  it('finds each line break and last occurrence whatever order it is asked in (searches are remembered per text)', () => {
    // A brute-force reading of the same rule: the first \n or \r at or after `start`, else the end.
    const expected = (text: string, start: number) => {
      for (let i = start; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') return i;
      return text.length;
    };
    const texts = ['a\nb\nc\r\nd\re\n', 'no breaks', 'x\r\ry\n\nz', '\n\n\r', 'lf only\nhere\n'];
    const queries: Array<[number, number]> = [];
    for (let t = 0; t < texts.length; t++) for (let start = 0; start <= texts[t]!.length; start++) queries.push([t, start]);
    // Forwards, backwards and interleaved between texts: every order a memo could get wrong. One NextOccurrence
    // per text and order, so each answers after the searches of the questions before.
    const orders = [queries, [...queries].reverse(), queries.map((_, i) => queries[(i * 7) % queries.length]!)];
    for (const order of orders) {
      const searches = texts.map((text) => new NextOccurrence(text));
      for (const [t, start] of order) {
        const text = texts[t]!;
        assert.equal(searches[t]!.lineEnd(start), expected(text, start), `${JSON.stringify(text)} from ${start}`);
        // The last \r in [start, end of text): what a backward search from the end finds, when it is not before start.
        const last = text.lastIndexOf('\r');
        assert.equal(searches[t]!.lastBefore('\r', start, text.length), last >= start ? last : -1, `last \\r of ${JSON.stringify(text)} from ${start}`);
      }
    }
  });

  it('answers contentLines for the head and comment characters it is asked about, not the last ones', () => {
    const head = 'a = 1\n# b = 2\n; c = 3\n';
    assert.deepEqual(
      contentLines(head).map((line) => line.text),
      ['a = 1', '; c = 3'],
    );
    assert.deepEqual(
      contentLines(head, '#;').map((line) => line.text),
      ['a = 1'],
    );
    assert.deepEqual(
      contentLines('x = 9\n').map((line) => line.text),
      ['x = 9'],
    );
    assert.deepEqual(
      contentLines(head).map((line) => line.text),
      ['a = 1', '; c = 3'],
    );
    assert.ok(Object.isFrozen(contentLines(head)), 'the shared list cannot be changed by a caller');
  });

  it('positions a CR-only YAML file like the LF one', async () => {
    const lf = 'services:\n  db:\n    image: redis\n    ports:\n      - "6379:6379"\n';
    const byLf = await engine.lintFile('/x/docker-compose.yml', lf, { files: none });
    const byCr = await engine.lintFile('/x/docker-compose.yml', lf.replace(/\n/g, '\r'), { files: none });
    assert.ok(byLf.findings.length > 0);
    assert.deepEqual(
      byCr.findings.map((finding) => [finding.ruleId, finding.range]),
      byLf.findings.map((finding) => [finding.ruleId, finding.range]),
    );
  });
});

describe('core: byte order marks and UTF-16', () => {
  const hba = 'host all all 0.0.0.0/0 trust\n';

  it('reads the first line of a file with a UTF-8 BOM as the daemon does, with offsets in the text as given', async () => {
    const plain = await engine.lintFile('/db/pg_hba.conf', hba, { files: none });
    const withBom = await engine.lintFile('/db/pg_hba.conf', `\ufeff${hba}`, { files: none });
    assert.ok(plain.findings.some((finding) => /trust/.test(finding.message.en)));
    assert.deepEqual(
      withBom.findings.map((finding) => [finding.ruleId, finding.start - 1, finding.end - 1, finding.range.start.character - 1]),
      plain.findings.map((finding) => [finding.ruleId, finding.start, finding.end, finding.range.start.character]),
    );
    assert.deepEqual(
      withBom.findings.map((finding) => finding.message),
      plain.findings.map((finding) => finding.message),
    );
  });

  it('decodes UTF-8 without its BOM, UTF-16 LE and BE with theirs, and writes each back as it was', () => {
    const sample = 'host all all 0.0.0.0/0 trust # caf\u00e9 \u65e5\u672c \u{1F600}\r\n';
    for (const like of [
      { encoding: 'utf-8', bom: false },
      { encoding: 'utf-8', bom: true },
      { encoding: 'utf-16le', bom: true },
      { encoding: 'utf-16be', bom: true },
    ] as const) {
      const bytes = encodeText(sample, like);
      const decoded = decodeBytes(bytes);
      assert.deepEqual(decoded, { text: sample, ...like });
      assert.deepEqual([...encodeText(decoded.text, decoded)], [...bytes]);
    }
    assert.deepEqual([...encodeText('a', { encoding: 'utf-16le', bom: true })], [0xff, 0xfe, 0x61, 0]);
    assert.equal(decodeBytes(new Uint8Array([0xff, 0xfe, 0x61, 0, 0x62])).text, 'a\ufffd');
    assert.equal(decodeBytes(new Uint8Array([0x61, 0xff])).text, 'a\ufffd');
  });

  it('the CLI reads a UTF-16 file as text: it is linted, not called binary', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'scr-utf16-'));
    try {
      const file = path.join(folder, 'pg_hba.conf');
      writeFileSync(file, encodeText(hba, { encoding: 'utf-16le', bom: true }));
      const read = await nodeFiles.readFile(file);
      assert.equal(read, hba);
      const { findings } = await engine.lintFile(file, read!, { files: nodeFiles });
      assert.ok(findings.some((finding) => /trust/.test(finding.message.en)));
      assert.ok(!findings.some((finding) => /binary/.test(finding.message.en)));
      writeFileSync(file, encodeText(hba, { encoding: 'utf-8', bom: true }));
      assert.equal(await nodeFiles.readFile(file), hba);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('core: suppression comments in one pass', () => {
  it('reads stacked comments and their common target line', () => {
    const lines = 20_000;
    const content = '# secure-config-review-disable-next-line a/b -- why\n'.repeat(lines) + 'x\n';
    const directives = parseSuppressions(new SourceText('/f', content), { prefix: '#' });
    assert.equal(directives.length, lines);
    assert.ok(directives.every((directive) => directive.target === lines));
  });

  it('reads each part of a comment as before, whatever runs of spaces, dashes or slashes it holds', () => {
    const parse = (line: string, prefix = '#') => parseSuppressions(new SourceText('/f', `${line}\nnext\n`), { prefix });
    const [one] = parse('  #  secure-config-review-disable-file a/b, c/d -- lab -- only ');
    assert.deepEqual(
      { kind: one!.kind, start: one!.start, rules: one!.rules.map((item) => item.id), reason: one!.reason },
      { kind: 'file', start: 2, rules: ['a/b', 'c/d'], reason: 'lab -- only' },
    );
    assert.equal(parse('# secure-config-review-disable-next-lines a/b -- x').length, 0, 'a longer word is not the directive');
    assert.equal(parse('// secure-config-review-disable-next-line a/b -- x', '//').length, 1);
    assert.equal(parse('; secure-config-review-disable-next-line a/b -- x', '#').length, 0);
    assert.deepEqual(parse(`# secure-config-review-disable-next-line a/b ${'- '.repeat(50_000)}`)[0]!.reason, '');
    assert.equal(parse(`#${' '.repeat(100_000)}secure-config-review-disable`).length, 0);
    assert.equal(parse(`# secure-config-review-disable-next-line a/b${' '.repeat(100_000)}--`)[0]!.reason, '');
    assert.equal(parse('# secure-config-review-disable-next-line --')[0]!.rules.length, 0);
  });
});

describe('core: ignore patterns without backtracking', () => {
  it('decides hostile patterns on long names (a regular expression took minutes)', () => {
    assert.equal(IgnoreRules.parse('*a*a*a*a*a*a*b\n').decide('a'.repeat(200), false), undefined);
    assert.equal(IgnoreRules.parse('*a*a*a*a*a*a*b\n').decide(`${'a'.repeat(200)}b`, false), true);
    assert.equal(IgnoreRules.parse('**/a/**/a/**/a/**/a/**/b\n').decide(`${'a/'.repeat(300)}c`, false), undefined);
    assert.equal(IgnoreRules.parse('**/a/**/a/**/a/**/a/**/b\n').decide(`${'a/'.repeat(300)}b`, false), true);
    assert.equal(IgnoreRules.parse(`x${' '.repeat(50_000)}y${' '.repeat(50_000)}\n`).decide(`x${' '.repeat(50_000)}y`, false), true);
    assert.equal(IgnoreRules.parse(`keep\\ ${' '.repeat(50_000)}\n`).decide('keep ', false), true);
    assert.equal(IgnoreRules.parse(`logs${'/'.repeat(50_000)}\n`).decide('logs', true), true);
  });
});
