// Referee: the kernel judges the packet-path model for iptables-save files and ufw's rules.
//   parse agreement: a file the real tool (iptables-restore / ip6tables-restore, or ufw's own ufw-init for ufw)
//     refuses is one we report a parse problem for, and the other way round;
//   packet agreement: every file the tool accepts is loaded into a network namespace created for it, and TCP
//     SYNs and UDP datagrams from addresses configured only in a second namespace must reach the listeners
//     exactly when the model says 'accept' (outcomes the model calls 'unknown' are counted, not compared).
// Inputs: every iptables/ufw fixture and golden file, the corpus (../shared/corpus/{iptables,ufw}) and Debian's
// shipped ufw rules. Needs root, iproute2, iptables and ufw; under CI=true a missing tool fails the test.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { defaultSettings } from '../../../src/core/settings';
import type { ParseProblem } from '../../../src/core/format';
import { iptablesSave } from '../../../src/families/iptables/formats';
import { ufwRules } from '../../../src/families/ufw/formats';
import { parseAnnotated } from '../../support/fixtures';
import { type CaseResult, type RefereeCase, missingTools, removeAgent, removeLeftovers, runCases } from './netns';
import { planProbes } from './probes';
import { listFiles } from '../support/trees';
import { caseFiles } from './inputs';

const ROOT = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const DEBIAN_UFW = '/usr/share/ufw';
const PARALLELISM = 4;

interface Input {
  name: string;
  /** Files by path relative to the case root; `main` is the one linted. */
  files: Map<string, string>;
  main: string;
}

const text = (file: string) => {
  const raw = readFileSync(file, 'utf8');
  return file.endsWith('.golden') ? raw : parseAnnotated(raw).text;
};

function iptablesInputs(): Input[] {
  const out: Input[] = [];
  for (const file of listFiles(path.join(ROOT, 'test-fixtures/iptables'))) {
    const name = path.basename(file).replace(/\.golden$/, '');
    const siblings = new Map<string, string>();
    for (const sibling of readdirSync(path.dirname(file))) {
      const full = path.join(path.dirname(file), sibling);
      if (!sibling.endsWith('.golden') && statSync(full).isFile()) siblings.set(sibling, text(full));
    }
    siblings.set(name, text(file));
    out.push({ name: path.relative(ROOT, file), files: siblings, main: name });
  }
  for (const file of listFiles(path.join(CORPUS, 'iptables')))
    out.push({ name: path.relative(path.dirname(CORPUS), file), files: new Map([['rules', readFileSync(file, 'utf8')]]), main: 'rules' });
  return out;
}

/** ufw cases: a set of /etc/ufw files (Debian's shipped ones fill what a case does not bring) and /etc/default/ufw. */
function ufwInputs(): Input[] {
  const debian = new Map<string, string>();
  for (const name of ['before.rules', 'after.rules', 'user.rules', 'before6.rules', 'after6.rules', 'user6.rules'])
    if (existsSync(path.join(DEBIAN_UFW, name))) debian.set(`etc/ufw/${name}`, readFileSync(path.join(DEBIAN_UFW, name), 'utf8'));
  const defaults = existsSync('/etc/default/ufw')
    ? readFileSync('/etc/default/ufw', 'utf8')
    : 'IPV6=yes\nDEFAULT_INPUT_POLICY="DROP"\nDEFAULT_OUTPUT_POLICY="ACCEPT"\nDEFAULT_FORWARD_POLICY="DROP"\n';
  const out: Input[] = [{ name: 'debian /usr/share/ufw', files: new Map([...debian, ['etc/default/ufw', defaults]]), main: 'etc/ufw/user.rules' }];
  // Fixture folders: every file below a case folder keeps its place (etc/ufw/..., etc/default/ufw); a file
  // directly in the folder is an /etc/ufw file.
  const fixtureRoot = path.join(ROOT, 'test-fixtures/ufw');
  const caseFolders = new Set(listFiles(fixtureRoot).map((file) => (file.includes('/etc/') ? file.slice(0, file.indexOf('/etc/')) : path.dirname(file))));
  for (const folder of caseFolders) {
    const files = new Map([...debian, ['etc/default/ufw', defaults]]);
    const goldens: Array<[string, string]> = [];
    for (const file of listFiles(folder)) {
      const relative = path.relative(folder, file);
      if (!relative.startsWith('etc/') && relative.includes('/')) continue; // a nested case folder of its own
      const placed = relative.startsWith('etc/') ? relative : `etc/ufw/${relative}`;
      if (placed.endsWith('.golden')) goldens.push([placed.slice(0, -'.golden'.length), readFileSync(file, 'utf8')]);
      else files.set(placed, text(file));
    }
    const own = [...files.keys()].filter((name) => !debian.has(name) || files.get(name) !== debian.get(name));
    const main = own.find((name) => /user6?\.rules$/.test(name)) ?? own.find((name) => name.endsWith('.rules')) ?? 'etc/ufw/user.rules';
    out.push({ name: path.relative(ROOT, folder), files, main });
    for (const [placed, golden] of goldens)
      out.push({ name: `${path.relative(ROOT, folder)}/${placed}.golden`, files: new Map([...files, [placed, golden]]), main });
  }
  for (const file of listFiles(path.join(CORPUS, 'ufw')).filter((file) => file.endsWith('user.rules')))
    out.push({
      name: path.relative(path.dirname(CORPUS), file),
      files: new Map([...debian, ['etc/default/ufw', defaults], ['etc/ufw/user.rules', readFileSync(file, 'utf8')]]),
      main: 'etc/ufw/user.rules',
    });
  return out;
}

interface Parsed {
  input: Input;
  cases: RefereeCase[];
  /** We report a parse problem (error) for the files loaded. */
  problems: ParseProblem[];
}

async function iptablesCase(input: Input, seed: number): Promise<Parsed> {
  const base = '/case';
  const files = caseFiles(input.files, base);
  const source = new SourceText(`${base}/${input.main}`, input.files.get(input.main)!);
  const loaded = await iptablesSave.load(source, { files, settings: defaultSettings() });
  const family = loaded.model.family;
  return {
    input,
    problems: loaded.problems.filter((problem) => (problem.severity ?? 'error') === 'error'),
    cases: [
      {
        name: input.name,
        load: [{ tool: family === 6 ? 'ip6tables-restore' : 'iptables-restore', text: source.text }],
        parts: [{ family, ruleset: loaded.model.ruleset, probes: planProbes(loaded.model.ruleset, seed) }],
      },
    ],
  };
}

async function ufwCase(input: Input, seed: number): Promise<Parsed> {
  const base = '/case';
  const withConf = new Map(input.files);
  // ufw-init reads ufw.conf from the root and runs no sysctl when IPT_SYSCTL is empty (this test changes no sysctl).
  withConf.set('etc/ufw/ufw.conf', 'ENABLED=yes\nLOGLEVEL=low\n');
  withConf.set('etc/default/ufw', `${input.files.get('etc/default/ufw') ?? ''}\nIPT_SYSCTL=\nIPT_MODULES=\n`);
  const files = caseFiles(input.files, base);
  const source = new SourceText(`${base}/${input.main}`, input.files.get(input.main)!);
  const loaded = await ufwRules.load(source, { files, settings: defaultSettings() });
  // ufw-init loads IPv4 and IPv6 together: one namespace pair, probes of both families.
  const cases: RefereeCase[] = [
    {
      name: input.name,
      load: [{ tool: 'ufw-init', files: Object.fromEntries(withConf) }],
      parts: [loaded.model.v4, loaded.model.v6].map((ruleset) => ({
        family: ruleset.family,
        ruleset: ruleset.ruleset,
        probes: planProbes(ruleset.ruleset, seed * 2 + ruleset.family),
      })),
    },
  ];
  return { input, problems: loaded.problems.filter((problem) => (problem.severity ?? 'error') === 'error'), cases };
}

describe('referee: the kernel agrees with the firewall packet-path model (iptables, ufw)', function () {
  this.timeout(600_000);
  before(async function () {
    const missing = missingTools();
    if (missing.length || process.getuid?.() !== 0) {
      if (process.env.CI === 'true')
        assert.fail(`the firewall referee needs root and ${missing.join(', ') || 'its tools'} (CI installs iptables, ufw and iproute2)`);
      this.skip();
    }
    await removeLeftovers();
  });
  after(async () => {
    removeAgent();
    await removeLeftovers();
  });

  it('parses what iptables-restore and ufw-init accept, and delivers exactly what the model says', async function () {
    const parsed: Parsed[] = [];
    let seed = 1;
    for (const input of iptablesInputs()) parsed.push(await iptablesCase(input, seed++));
    for (const input of ufwInputs()) parsed.push(await ufwCase(input, seed++));
    // Inputs that load exactly the same rules (Debian's shipped user.rules, a golden file equal to its
    // fixture) are run once.
    const unique = new Map<string, RefereeCase>();
    const keyOf = (c: RefereeCase) => JSON.stringify(c.load);
    for (const entry of parsed) for (const c of entry.cases) if (!unique.has(keyOf(c))) unique.set(keyOf(c), c);
    const results = await runCases([...unique.values()], PARALLELISM);
    const byKey = new Map([...unique.keys()].map((key, index) => [key, results[index]!]));
    const disagreements: string[] = [];
    for (const entry of parsed) {
      const outcomes = entry.cases.map((c) => byKey.get(keyOf(c))!);
      const refused = outcomes.find((result) => result.loadError);
      if (refused && !entry.problems.length)
        disagreements.push(`${entry.input.name}: the real tool refuses it (${refused.loadError}), we report no parse problem`);
      if (!refused && entry.problems.length) disagreements.push(`${entry.input.name}: we report a parse problem, the real tool accepts it`);
      for (const result of outcomes) disagreements.push(...result.disagreements);
    }
    printTable(parsed.flatMap((entry) => entry.cases.map((c) => ({ input: entry.input.name, result: byKey.get(keyOf(c))! }))));
    const compared = results.reduce((sum, result) => sum + result.compared, 0);
    assert.ok(compared > 0, 'no probe was compared');
    assert.deepEqual(disagreements, []);
  });
});

function printTable(rows_: Array<{ input: string; result: CaseResult }>): void {
  const seen = new Set<CaseResult>();
  const results = rows_.map((row) => row.result).filter((result) => !seen.has(result) && seen.add(result));
  const rows = rows_.map(({ input, result: r }) => [
    input === r.name ? input : `${input} (= ${r.name})`,
    r.families.map((family) => `IPv${family}`).join('+'),
    r.loadError ? 'refused' : String(r.rulesLoaded),
    input === r.name ? String(r.probes) : '-',
    input === r.name ? String(r.compared) : '-',
    input === r.name ? String(r.unknown) : '-',
    String(r.disagreements.length),
  ]);
  const header = ['file', 'family', 'rules loaded', 'probes sent', 'compared', 'unknown', 'disagreements'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `      ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`;
  const total = [
    'total',
    '',
    String(results.reduce((s, r) => s + r.rulesLoaded, 0)),
    String(results.reduce((s, r) => s + r.probes, 0)),
    String(results.reduce((s, r) => s + r.compared, 0)),
    String(results.reduce((s, r) => s + r.unknown, 0)),
    String(results.reduce((s, r) => s + r.disagreements.length, 0)),
  ];
  console.log([line(header), ...rows.map(line), line(total)].join('\n'));
}
