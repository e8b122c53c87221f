// SARIF for GitHub code scanning (issue 17 part 3): the corpus audit validates against the SARIF 2.1.0 schema shipped
// in an npm package (never downloaded), and carries what code scanning needs: URIs relative to %SRCROOT% (the
// repository root), partialFingerprints that survive line moves, security-severity, embedded help, suppressions and
// the exit code.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import { FINGERPRINT_KEY, SRCROOT, securitySeverity, toSarif } from '../../src/core/report';
import type { Finding } from '../../src/core/types';
import { engine } from '../../src/product';
import { runCli } from '../support/run-cli';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const SCHEMA = path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const MISTAKE = 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n';

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints?: Record<string, string>;
  suppressions?: { kind: string; justification?: string; status?: string }[];
}
interface SarifRule {
  id: string;
  help: { text: string; markdown: string };
  helpUri?: string;
  properties: { tags: string[]; 'security-severity': string };
}
interface SarifLog {
  runs: {
    tool: { driver: { informationUri?: string; rules: SarifRule[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    invocations: { executionSuccessful: boolean; exitCode?: number }[];
    results: SarifResult[];
  }[];
}

/**
 * The schema shipped by @microsoft/jest-sarif declares draft-04 (`id`, `$schema` draft-04). It uses no keyword whose
 * meaning changed after draft-04 (no boolean exclusiveMinimum/Maximum, no `dependencies`), so it is compiled as draft-07,
 * Ajv's default dialect, with `id` read as `$id`. Its three formats are checked here (ajv-formats is not installed).
 */
function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  const text = JSON.stringify(schema);
  assert.ok(!/"exclusiveM(?:in|ax)imum"|"dependencies"/.test(text), 'the schema uses a draft-04 keyword whose meaning changed');
  const { $schema, id, ...rest } = schema;
  assert.equal($schema, 'http://json-schema.org/draft-04/schema#');
  // unicodeRegExp off: one of the schema's patterns (language tags) has a stray ']' that only the 'u' flag rejects.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value));
  ajv.addFormat('uri-reference', (value: string) => !/[\s]/.test(value) && !/%(?![0-9A-Fa-f]{2})/.test(value));
  ajv.addFormat('date-time', (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/.test(value));
  return ajv.compile({ ...rest, $id: String(id) });
}

function audit(args: string[], cwd: string): { sarif: SarifLog; code: number | null; stderr: string } {
  const result = runCli(['audit', '--format', 'sarif', ...args], cwd);
  assert.equal(result.stderr.includes('internal error'), false, result.stderr);
  return { sarif: JSON.parse(result.stdout) as SarifLog, code: result.code, stderr: result.stderr };
}

describe('SARIF for GitHub code scanning', function () {
  this.timeout(120_000);
  let validate: ValidateFunction;
  before(() => {
    validate = sarifValidator();
  });

  it('the schema check itself rejects a broken log (so a pass means something)', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: {}, level: 'fatal' }] }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] }), true);
  });

  describe('the corpus audit', () => {
    let sarif: SarifLog;
    let code: number | null;
    before(() => {
      assert.ok(existsSync(CORPUS), `${CORPUS} is missing`);
      ({ sarif, code } = audit(['--fail-on', 'error', CORPUS], ROOT));
    });

    it('validates against the SARIF 2.1.0 schema', () => {
      const valid = validate(sarif);
      assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
      assert.ok(sarif.runs[0]!.results.length >= 50, `${sarif.runs[0]!.results.length} results`);
    });

    it('locates every result relative to %SRCROOT%, the audited folder (no repository above it)', () => {
      const run = sarif.runs[0]!;
      assert.deepEqual(run.originalUriBaseIds, { [SRCROOT]: { uri: pathToFileURL(CORPUS + '/').href } });
      for (const result of run.results) {
        const { uri, uriBaseId } = result.locations[0]!.physicalLocation.artifactLocation;
        assert.equal(uriBaseId, SRCROOT, uri);
        assert.ok(!uri.startsWith('/') && !uri.includes(':') && !uri.startsWith('..'), uri);
        assert.ok(existsSync(path.join(CORPUS, decodeURI(uri))), uri);
      }
    });

    it('gives every result a partialFingerprint, distinct per file and rule', () => {
      const results = sarif.runs[0]!.results;
      const prints = results.map((result) => result.partialFingerprints?.[FINGERPRINT_KEY]);
      assert.ok(
        prints.every((print) => print !== undefined && /^[0-9a-f]{16}$/.test(print)),
        'every result has one',
      );
      // Identical lines in two files share a fingerprint (code scanning matches alerts per file, as baselines do).
      const keys = results.map((result, index) => `${result.locations[0]!.physicalLocation.artifactLocation.uri} ${result.ruleId} ${prints[index]}`);
      assert.equal(new Set(keys).size, keys.length, 'no two results of one file and rule share one');
    });

    it('ranks every rule with security-severity and tags it with "security" and its threat entries', () => {
      for (const rule of sarif.runs[0]!.tool.driver.rules) {
        const catalogued = engine.catalogue.ruleById(rule.id)!;
        assert.equal(rule.properties['security-severity'], securitySeverity(catalogued));
        assert.ok(Number(rule.properties['security-severity']) > 0 && Number(rule.properties['security-severity']) <= 10);
        assert.deepEqual(rule.properties.tags, ['security', ...catalogued.threats]);
      }
    });

    it('embeds each rule’s help as text and Markdown, with no link to a local install path', () => {
      const driver = sarif.runs[0]!.tool.driver;
      assert.equal(driver.informationUri, undefined);
      for (const rule of driver.rules) {
        const catalogued = engine.catalogue.ruleById(rule.id)!;
        assert.equal(rule.helpUri, undefined);
        assert.ok(rule.help.text.includes(catalogued.howToFix.en), rule.id);
        assert.ok(rule.help.markdown.startsWith(`# ${catalogued.title.en}\n`), rule.id);
        assert.ok(rule.help.markdown.includes('## How to fix'), rule.id);
      }
      const fileUris = JSON.stringify(sarif).match(/file:\/\/[^"]*/g) ?? [];
      assert.deepEqual([...new Set(fileUris)], [pathToFileURL(CORPUS + '/').href], 'the only file: URI is %SRCROOT%');
    });

    it('records the exit code in invocations', () => {
      assert.equal(code, 1);
      assert.deepEqual(sarif.runs[0]!.invocations, [{ executionSuccessful: true, exitCode: 1, toolExecutionNotifications: [] }]);
    });
  });

  describe('in a repository', () => {
    let repo: string;
    const mainCf = () => path.join(repo, 'etc', 'postfix', 'main.cf');
    beforeEach(() => {
      repo = mkdtempSync(path.join(tmpdir(), 'scr-sarif-'));
      mkdirSync(path.join(repo, '.git'));
      mkdirSync(path.dirname(mainCf()), { recursive: true });
      writeFileSync(mainCf(), MISTAKE);
    });
    afterEach(() => rmSync(repo, { recursive: true, force: true }));

    it('makes URIs relative to the repository root wherever the audit starts', () => {
      for (const [args, cwd] of [
        [['postfix'], path.join(repo, 'etc')],
        [[path.join(repo, 'etc', 'postfix', 'main.cf')], tmpdir()],
        [['.'], repo],
      ] as const) {
        const { sarif } = audit([...args], cwd);
        const run = sarif.runs[0]!;
        assert.ok(validate(sarif), JSON.stringify(validate.errors));
        assert.deepEqual(run.originalUriBaseIds, { [SRCROOT]: { uri: pathToFileURL(repo + '/').href } }, args.join(' '));
        assert.deepEqual(run.results[0]!.locations[0]!.physicalLocation.artifactLocation, { uri: 'etc/postfix/main.cf', uriBaseId: SRCROOT });
      }
    });

    it('records a path that could not be read as a notification of an unsuccessful run, with exit code 2', () => {
      const { sarif, code } = audit(['missing', 'postfix'], path.join(repo, 'etc'));
      assert.ok(validate(sarif), JSON.stringify(validate.errors));
      assert.equal(code, 2);
      const [invocation] = sarif.runs[0]!.invocations as { executionSuccessful: boolean; exitCode: number; toolExecutionNotifications: unknown[] }[];
      assert.equal(invocation!.executionSuccessful, false);
      assert.equal(invocation!.exitCode, 2);
      assert.deepEqual(JSON.parse(JSON.stringify(invocation!.toolExecutionNotifications)), [
        {
          level: 'error',
          message: { text: 'missing: no such file or folder' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'etc/missing', uriBaseId: SRCROOT } } }],
        },
      ]);
      assert.equal(sarif.runs[0]!.results.length, 1, 'the readable path was still audited');
    });

    it('keeps the fingerprint when lines move, and changes it when the flagged line changes', () => {
      const before = audit([], repo).sarif.runs[0]!.results[0]!;
      writeFileSync(mainCf(), `# moved down\n\n# by three lines\n${MISTAKE}`);
      const moved = audit([], repo).sarif.runs[0]!.results[0]!;
      assert.equal(moved.locations[0]!.physicalLocation.region!.startLine, before.locations[0]!.physicalLocation.region!.startLine + 3);
      assert.equal(moved.partialFingerprints![FINGERPRINT_KEY], before.partialFingerprints![FINGERPRINT_KEY]);
      writeFileSync(mainCf(), MISTAKE.replace('127.0.0.0/8 ', '127.0.0.0/8 10.0.0.0/8 '));
      const edited = audit([], repo).sarif.runs[0]!.results[0]!;
      assert.equal(edited.ruleId, before.ruleId);
      assert.notEqual(edited.partialFingerprints![FINGERPRINT_KEY], before.partialFingerprints![FINGERPRINT_KEY]);
    });

    it('reports a comment-suppressed finding as suppressed inSource, with its reason as justification', () => {
      writeFileSync(
        mainCf(),
        'compatibility_level = 3.6\n# secure-config-review-disable-next-line postfix/mynetworks-public-range -- leased block, contract 114\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n',
      );
      const { sarif, code } = audit([], repo);
      assert.ok(validate(sarif), JSON.stringify(validate.errors));
      assert.equal(code, 0);
      const [result] = sarif.runs[0]!.results;
      assert.deepEqual(result!.suppressions, [
        {
          kind: 'inSource',
          status: 'accepted',
          justification: 'leased block, contract 114',
          location: { physicalLocation: { artifactLocation: { uri: 'etc/postfix/main.cf', uriBaseId: SRCROOT }, region: { startLine: 2 } } },
        },
      ]);
      assert.deepEqual(sarif.runs[0]!.invocations[0], { executionSuccessful: true, exitCode: 0, toolExecutionNotifications: [] });
    });
    it('reports a baseline-suppressed finding as suppressed externally, and a new one as not suppressed', () => {
      assert.equal(runCli(['audit', '--write-baseline', 'baseline.json', '.'], repo).code, 0);
      mkdirSync(path.join(repo, 'relay', 'postfix'), { recursive: true });
      writeFileSync(path.join(repo, 'relay', 'postfix', 'main.cf'), MISTAKE);
      const { sarif, code } = audit(['--baseline', 'baseline.json', '.'], repo);
      assert.ok(validate(sarif), JSON.stringify(validate.errors));
      assert.equal(code, 1, 'the new finding fails the audit');
      const byFile = Object.fromEntries(
        sarif.runs[0]!.results.map((result) => [result.locations[0]!.physicalLocation.artifactLocation.uri, result.suppressions]),
      );
      assert.deepEqual(byFile, {
        'etc/postfix/main.cf': [{ kind: 'external', status: 'accepted', justification: 'baseline.json' }],
        'relay/postfix/main.cf': undefined,
      });
    });
  });

  it('reports a baseline-suppressed finding as suppressed externally', async () => {
    const files = { readFile: async () => undefined, readDirectory: async () => undefined };
    const [finding] = (await engine.lintFile('/repo/main.cf', MISTAKE, { files })).findings as Finding[];
    const baselined = { ...finding!, suppression: { kind: 'baseline', reason: 'baseline.json', line: 1 } } as unknown as Finding;
    const sarif = toSarif(engine.catalogue, [{ path: 'main.cf', format: 'postfix-main', findings: [], suppressed: [baselined] }], {
      toolVersion: '0',
      sourceRoot: { path: '/repo', uri: 'file:///repo/' },
      textOf: () => MISTAKE,
    }) as SarifLog;
    assert.ok(validate(sarif), JSON.stringify(validate.errors));
    const [result] = sarif.runs[0]!.results;
    assert.deepEqual(result!.suppressions, [{ kind: 'external', status: 'accepted', justification: 'baseline.json' }]);
    assert.deepEqual(result!.locations[0]!.physicalLocation.artifactLocation, { uri: 'main.cf', uriBaseId: SRCROOT });
  });

  it('maps severity and incident links to the documented security-severity scores', () => {
    const scores = (['error', 'warning', 'info'] as const).flatMap((severity) => [
      securitySeverity({ severity, threats: ['threat-2020-org-1'] }),
      securitySeverity({ severity, threats: ['threat-2020-org-1', 'incident-2020h1-21'] }),
    ]);
    assert.deepEqual(scores, ['8.0', '9.0', '5.0', '6.5', '2.0', '3.5']);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const score of scores) assert.ok(readme.includes(`| ${score} |`) || readme.includes(` ${score} `), `README documents ${score}`);
  });
});
