// Referee: the kernel judges the nftables family.
//   parse agreement: `nft -c -f` (in an empty network namespace, as at boot) refuses a file exactly when we report a
//     parse problem of warning or error severity for it; a file refused only because an interface named by
//     `iif`/`oif` does not exist is one we report that information for;
//   packet agreement: every file nft accepts is loaded with `nft -f` into a namespace pair of the shared harness
//     (netns.ts), and TCP SYNs and UDP datagrams from addresses configured only in the client namespace must reach
//     the listeners exactly when the model says 'accept' (IPv4 and IPv6; 'unknown' outcomes are counted, not compared).
// Inputs: every nftables fixture and golden file, ../shared/corpus/nftables, Debian's /etc/nftables.conf and the
// examples the nftables package ships. Needs root, iproute2 and nftables; under CI=true a missing tool fails.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { loadNftables, nftablesConf } from '../../../src/families/nftables/formats';
import { parseAnnotated } from '../../support/fixtures';
import { type CaseResult, type LoadStep, type NamespaceRun, type RefereeCase, missingTools, removeLeftovers, runCases } from './netns';
import { planProbes } from './probes';
import { listFiles } from '../support/trees';
import { caseFiles } from './inputs';
import { printRefereeTable } from './table';
import { countNftRuleset, distinctSources } from './nft-support';

const ROOT = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus/nftables');
const EXAMPLES = '/usr/share/doc/nftables/examples';
const NFT = '/usr/sbin/nft';
const PARALLELISM = 4;

interface Input {
  name: string;
  /** Files by name relative to the case folder; `main` is the one nft loads. */
  files: Map<string, string>;
  main: string;
}

function inputs(): Input[] {
  const out: Input[] = [];
  const fixtureRoot = path.join(ROOT, 'test-fixtures/nftables');
  const folders = [...new Set(listFiles(fixtureRoot).map((file) => path.dirname(file)))];
  for (const folder of folders) {
    const names = readdirSync(folder).filter((name) => statSync(path.join(folder, name)).isFile());
    const plain = new Map(
      names.filter((name) => !name.endsWith('.golden')).map((name) => [name, parseAnnotated(readFileSync(path.join(folder, name), 'utf8')).text]),
    );
    // A file another file of the folder includes is loaded through that one.
    const nft = (name: string) => nftablesConf.detectByName(`${folder}/${name}`, name) || nftablesConf.detectByContent!(plain.get(name)!.slice(0, 4096));
    const roots = [...plain.keys()].filter((name) => nft(name) && ![...plain].some(([other, text]) => other !== name && text.includes(`"${name}"`)));
    for (const main of roots) out.push({ name: path.relative(ROOT, path.join(folder, main)), files: plain, main });
    for (const golden of names.filter((name) => name.endsWith('.golden'))) {
      const target = golden.slice(0, -'.golden'.length);
      const files = new Map(plain).set(target, readFileSync(path.join(folder, golden), 'utf8'));
      const main = roots.find((root) => root === target || files.get(root)!.includes(`"${target}"`)) ?? target;
      out.push({ name: path.relative(ROOT, path.join(folder, golden)), files, main });
    }
  }
  for (const file of listFiles(CORPUS))
    out.push({ name: path.relative(path.resolve(ROOT, '..'), file), files: new Map([['nftables.conf', readFileSync(file, 'utf8')]]), main: 'nftables.conf' });
  if (existsSync('/etc/nftables.conf'))
    out.push({ name: '/etc/nftables.conf', files: new Map([['nftables.conf', readFileSync('/etc/nftables.conf', 'utf8')]]), main: 'nftables.conf' });
  for (const file of listFiles(EXAMPLES).filter((name) => name.endsWith('.nft')))
    out.push({ name: file, files: new Map([['nftables.conf', readFileSync(file, 'utf8')]]), main: 'nftables.conf' });
  return out;
}

/**
 * Writes the case's files into a folder and loads `main` there: first `nft -c -f` (the parse verdict), then
 * `nft -f`. nft runs from that folder with it as include path, so `include "x.nft"` finds the case's files
 * (absolute /etc/ includes are pointed at the folder).
 */
function nftStep(input: Input, verdicts: Map<string, string | undefined>): LoadStep {
  return {
    tool: 'custom',
    async apply(run: NamespaceRun) {
      const folder = mkdtempSync(path.join(tmpdir(), 'scr-nft-'));
      try {
        for (const [name, content] of input.files) {
          mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
          writeFileSync(path.join(folder, name), content.replace(/include\s+"\/etc\//g, `include "${folder}/`));
        }
        const command = (check: boolean) => ['sh', '-c', `cd "$1" && exec ${NFT} -I "$1" ${check ? '-c ' : ''}-f "$2"`, 'nft', folder, input.main];
        const checked = await run(command(true));
        const refusal = checked.status === 0 ? undefined : `nft -c: ${checked.stderr.trim().split('\n')[0]}`;
        verdicts.set(input.name, refusal);
        if (refusal) return refusal;
        const loaded = await run(command(false));
        return loaded.status === 0 ? undefined : `nft -f: ${loaded.stderr.trim().split('\n')[0]}`;
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    count: countNftRuleset,
  };
}

interface Parsed {
  input: Input;
  cases: RefereeCase[];
  /** Problems of warning or error severity (nft refuses the file). */
  refusals: string[];
  /** What we tell about the host the rules need (an interface named by iif/oif, SELinux for secmark). */
  environmentNotes: string[];
}

async function prepare(input: Input, seed: number, verdicts: Map<string, string | undefined>): Promise<Parsed> {
  const base = '/case';
  const files = caseFiles(input.files, base);
  const { config, problems } = await loadNftables(new SourceText(`${base}/${input.main}`, input.files.get(input.main)!), files);
  const step = nftStep(input, verdicts);
  const cases: RefereeCase[] = [
    {
      name: input.name,
      load: [step],
      parts: ([4, 6] as const).map((family) => {
        const ruleset = config.model(family).ruleset;
        return { family, ruleset, probes: distinctSources(planProbes(ruleset, seed * 2 + family)) };
      }),
    },
  ];
  return {
    input,
    cases,
    refusals: problems.filter((problem) => (problem.severity ?? 'warning') !== 'info').map((problem) => problem.message.text),
    environmentNotes: problems
      .filter((problem) => problem.message.text === 'nftables.iif-needs-interface' || problem.message.text === 'nftables.secmark-needs-selinux')
      .map((problem) => problem.message.text),
  };
}

describe('referee: nft and the kernel agree with the nftables family', function () {
  this.timeout(600_000);
  before(async function () {
    const missing = [...missingTools().filter((tool) => tool.endsWith('/ip')), ...(existsSync(NFT) ? [] : [NFT])];
    if (missing.length || process.getuid?.() !== 0) {
      if (process.env.CI === 'true')
        assert.fail(`the nftables referee needs root and ${missing.join(', ') || 'its tools'} (CI installs nftables and iproute2)`);
      this.skip();
    }
    await removeLeftovers();
  });
  after(removeLeftovers);

  it('refuses what nft refuses, and delivers exactly what the model says', async function () {
    const verdicts = new Map<string, string | undefined>();
    const parsed: Parsed[] = [];
    let seed = 1;
    for (const input of inputs()) parsed.push(await prepare(input, seed++, verdicts));
    const results = await runCases(
      parsed.flatMap((entry) => entry.cases),
      PARALLELISM,
    );
    const byName = new Map(results.map((result) => [result.name, result]));
    const disagreements: string[] = [];
    let environment = 0;
    for (const entry of parsed) {
      const outcomes = entry.cases.map((c) => byName.get(c.name)!);
      const refused = outcomes.find((result) => result.loadError)?.loadError;
      const weRefuse = entry.refusals.length > 0;
      if (refused && !weRefuse) {
        const needs = (key: string) => entry.environmentNotes.includes(key);
        if (
          (/Interface does not exist/.test(refused) && needs('nftables.iif-needs-interface')) ||
          (/Could not process rule/.test(refused) && needs('nftables.secmark-needs-selinux'))
        )
          environment++;
        else disagreements.push(`${entry.input.name}: nft refuses it (${refused}), we report no parse problem`);
      }
      if (!refused && weRefuse) disagreements.push(`${entry.input.name}: we report ${entry.refusals.join(', ')}, nft accepts it`);
      for (const result of outcomes) disagreements.push(...result.disagreements);
    }
    printRefereeTable('nftables', results, [
      `parse agreement: ${parsed.length} files, ${parsed.filter((entry) => entry.cases.some((c) => byName.get(c.name)!.loadError)).length} refused by nft (${environment} for what the host lacks, as we say: an interface, SELinux)`,
    ]);
    assert.ok(results.reduce((sum, result: CaseResult) => sum + result.compared, 0) > 0, 'no probe was compared');
    assert.deepEqual(disagreements, []);
  });
});
