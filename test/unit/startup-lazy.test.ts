// Start-up (issue 16): what the engine loads only when a lint needs it — the families, a family's checks, each
// catalogue entry — and that reading them late changes no outcome: the same errors, the same findings.
import assert from 'node:assert/strict';
import { defineCheck, modelKey, text } from '../../src/core/check';
import { Catalogue, CatalogueError, CatalogueSource, ThreatSource, readCatalogueFile } from '../../src/core/catalog';
import { createLinter } from '../../src/core/engine';
import { defineFamily } from '../../src/core/family';
import { defineFormat } from '../../src/core/format';
import { engine } from '../../src/product';
import { memoryFiles } from '../support/fixtures';

const none = memoryFiles(new Map());

const rule = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  severity: 'warning',
  title: { en: id, ja: id },
  message: { en: 'EN {value}', ja: 'JA {value}' },
  why: { en: 'why', ja: 'why' },
  howToFix: { en: 'fix', ja: 'fix' },
  threats: ['t-1'],
  examples: { bad: {}, good: {} },
  ...extra,
});
const threat = (id: string) => ({
  id,
  kind: 'threat',
  title: { en: id, ja: id },
  summary: { en: 's', ja: 's' },
  countermeasures: { en: ['c'], ja: ['c'] },
  source: { document: 'd', file: 'f', section: '1' },
});
const threats = () => new ThreatSource([threat('t-1'), threat('t-2')], 'rules/threats.json');

/** A family of one format (files named `*.probe`) whose checks are counted when they are loaded. */
function probeFamily(loads: { checks: number }) {
  const model = modelKey<{ line: string }>('lazy-probe');
  return defineFamily({
    id: 'lazy-probe',
    formats: [
      defineFormat({
        id: 'lazy-probe',
        model,
        label: text('core.limit.nesting-depth'),
        commentPrefix: '#',
        detectByName: (_path, baseName) => baseName.endsWith('.probe'),
        async load(source) {
          return { model: { line: source.text.split('\n')[0]! }, problems: [], sources: [source] };
        },
      }),
    ],
    checks: () => {
      loads.checks++;
      return [
        defineCheck({
          rule: 'lazy-probe/found',
          model,
          run(probe, report) {
            report({ file: '/x/a.probe', start: 0, end: probe.line.length }, { value: probe.line });
          },
        }),
      ];
    },
    catalogue: [{ file: 'rules/lazy-probe.json', rules: [{ ...rule('lazy-probe/found'), threats: [], noIncidentLink: true }] }],
  });
}

describe('start-up: what the engine loads only when needed', () => {
  it('asks for the families only when a lint needs a format, and loads a family’s checks with its first lint', async () => {
    const loads = { families: 0, checks: 0 };
    const family = probeFamily(loads);
    const linter = createLinter(() => {
      loads.families++;
      return [family];
    });
    // Core texts (CLI messages) and never-configuration names need no family.
    assert.ok(linter.catalogue.resolve(text('core.binary-file')).en);
    assert.deepEqual(await linter.lintFile('/x/README.md', 'text', { files: none }), { findings: [], suppressed: [] });
    assert.deepEqual(loads, { families: 0, checks: 0 });
    const other = await linter.lintFile('/x/server.conf', 'key value\n', { files: none });
    assert.equal(other.format, undefined);
    assert.deepEqual(loads, { families: 1, checks: 0 });
    const result = await linter.lintFile('/x/a.probe', 'hello\n', { files: none });
    assert.equal(result.format, 'lazy-probe');
    assert.deepEqual(
      result.findings.map((finding) => [finding.ruleId, finding.message.en]),
      [['lazy-probe/found', 'EN hello']],
    );
    await linter.lintFile('/x/a.probe', 'again\n', { files: none });
    assert.deepEqual(loads, { families: 1, checks: 1 });
  });

  it('checks a family’s wiring when its checks are loaded: a check without a catalogue entry fails then, naming it', () => {
    const model = modelKey<unknown>('wired');
    const format = defineFormat({
      id: 'wired',
      model,
      label: text('core.limit.nesting-depth'),
      commentPrefix: '#',
      detectByName: () => false,
      load: async (source) => ({ model: {}, problems: [], sources: [source] }),
    });
    const family = defineFamily({
      id: 'wired',
      formats: [format],
      checks: () => [defineCheck({ rule: 'wired/missing', model, run() {} })],
      catalogue: [{ file: 'rules/wired.json', rules: [] }],
    });
    assert.throws(() => family.checks, /family wired: check wired\/missing has no entry in rules\/wired\.json/);
    // A rules file that is not a list fails when the family is defined, as before.
    assert.throws(
      () => defineFamily({ id: 'wired', formats: [format], checks: () => [], catalogue: [{ file: 'rules/wired.json', rules: {} }] }),
      /rules\/wired\.json: expected a list/,
    );
  });

  it('validates a catalogue entry when it is read, with the error a whole-file check gives', () => {
    const rules = [rule('x/ok'), rule('x/broken', { severity: 'loud' }), rule('x/stray', { threats: ['t-9'] })];
    const texts = { 'x.fine': { en: 'fine', ja: 'fine' }, 'x.bad': { en: 'bad' } };
    const catalogue = new Catalogue([new CatalogueSource(rules, texts, 'rules/x.json')], threats());
    assert.equal(catalogue.ruleById('x/ok')?.title.en, 'x/ok');
    assert.equal(catalogue.resolve(text('x.fine')).en, 'fine');
    assert.equal(catalogue.threatById('t-2')?.id, 't-2');
    assert.equal(catalogue.ruleById('x/none'), undefined);
    assert.throws(
      () => catalogue.ruleById('x/broken'),
      (error) => error instanceof CatalogueError && /^rules\/x\.json\[1\] \(x\/broken\)\.severity: expected one of/.test(error.message),
    );
    assert.throws(
      () => catalogue.resolve(text('x.bad')),
      (error) => error instanceof CatalogueError && error.message === 'rules/x.texts.json.x.bad.ja: expected a non-empty string',
    );
    assert.throws(() => catalogue.ruleById('x/stray'), /rules\/x\.json: rule x\/stray links to unknown entry t-9/);
    assert.throws(() => catalogue.rules, /x\/broken/);
    assert.throws(() => readCatalogueFile(rules, texts, 'rules/x.json'), /x\.bad\.ja: expected a non-empty string/);
  });

  it('finds duplicates across files when the catalogue is first asked, the later files included when a lookup needs them', () => {
    const core = new CatalogueSource([], { 'core.a': { en: 'a', ja: 'a' } }, 'rules/core.json');
    let asked = 0;
    const later = () => {
      asked++;
      return [new CatalogueSource([rule('y/one')], { 'y.b': { en: 'b', ja: 'b' }, 'core.a': { en: 'again', ja: 'again' } }, 'rules/y.json')];
    };
    const catalogue = new Catalogue([core], threats(), later);
    assert.equal(catalogue.resolve(text('core.a')).en, 'a');
    assert.equal(asked, 0);
    assert.throws(() => catalogue.resolve(text('y.b')), /rules\/y\.json: text core\.a is defined twice/);
    assert.equal(asked, 1);
    const twice = new Catalogue([new CatalogueSource([rule('z/one'), rule('z/one')], undefined, 'rules/z.json')], threats());
    assert.throws(() => twice.ruleById('z/one'), /rules\/z\.json: rule z\/one is defined twice/);
  });

  it('lists the same product catalogue as a whole-file validation of every rules file', () => {
    const whole = engine.families.flatMap((family) => family.catalogue);
    assert.deepEqual(
      engine.catalogue.rules.filter((entry) => !entry.id.startsWith('config/')),
      whole.flatMap((file) => file.rules),
    );
    engine.catalogue.validateTexts();
    for (const file of whole) for (const [key, value] of Object.entries(file.texts)) assert.deepEqual(engine.catalogue.resolve(text(key)), value);
    assert.equal(engine.catalogue.threats.length, 66);
  });
});
