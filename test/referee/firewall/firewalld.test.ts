// Referee: firewalld itself judges the firewalld family.
//   parse agreement: `firewall-offline-cmd --system-config DIR --check-config` refuses a configuration exactly when
//     we report a parse problem of warning or error severity in one of its files;
//   packet agreement: firewalld's own core (python3-firewall, the code the daemon runs) builds its nftables ruleset
//     from the configuration inside a network namespace of the shared harness (netns.ts); no D-Bus, no system
//     service. TCP SYNs and UDP datagrams from addresses configured only in the client namespace must reach the
//     listeners exactly when the model of the zones says 'accept' (IPv4 and IPv6; 'unknown' is counted).
// Inputs: every firewalld fixture folder (and each golden in place of its file), ../shared/corpus/firewalld (a
// zone on its own is taken as the default zone, as the checks do) and Debian's /etc/firewalld with its shipped zones.
// Needs root, iproute2, nftables and firewalld; under CI=true a missing tool fails the test.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { defaultSettings } from '../../../src/core/settings';
import type { ParseProblem } from '../../../src/core/format';
import { type FirewalldConfig, firewalldConf, firewalldService, firewalldZone } from '../../../src/families/firewalld/formats';
import { parseAnnotated } from '../../support/fixtures';
import { type LoadStep, type NamespaceRun, type RefereeCase, missingTools, removeLeftovers, runCases } from './netns';
import { planProbes } from './probes';
import { listFiles } from '../support/trees';
import { caseFiles } from './inputs';
import { countNftRuleset, distinctSources } from './nft-support';
import { printRefereeTable } from './table';

const ROOT = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus/firewalld');
const OFFLINE_CMD = '/usr/bin/firewall-offline-cmd';
const PYTHON = '/usr/bin/python3';
const NFT = '/usr/sbin/nft';
const PARALLELISM = 3;

/**
 * Starts firewalld's core on the configuration in argv[1] and loads its rules into the current namespace (no
 * D-Bus, no daemon: the same code the daemon runs at start-up; it exits when the rules are loaded).
 */
const START_FIREWALLD = [
  'import sys',
  'import firewall.config as config',
  'config.set_system_config_paths(sys.argv[1])',
  // No modprobe from the test (kernel modules are the machine's): conntrack helpers are not what is refereed.
  'from firewall.core import modules',
  'modules.modules.load_module = lambda self, module: (0, "")',
  'from firewall.core.fw import Firewall',
  'Firewall(offline=False).start()',
].join('\n');

interface Input {
  name: string;
  /** Files by path relative to the configuration folder (firewalld.conf, zones/x.xml, services/y.xml). */
  files: Map<string, string>;
}

const plain = (file: string) => parseAnnotated(readFileSync(file, 'utf8')).text;

/**
 * A zone on its own is the default zone (as the family takes it). It is installed under a short name: a file
 * name is not a zone name until the file sits in a zones folder (the corpus renames its copies).
 */
function standalone(name: string, text: string): Input {
  return {
    name,
    files: new Map([
      ['firewalld.conf', 'DefaultZone=standalone\n'],
      ['zones/standalone.xml', text],
    ]),
  };
}

function inputs(): Input[] {
  const out: Input[] = [];
  const fixtures = path.join(ROOT, 'test-fixtures/firewalld');
  // A configuration folder holds firewalld.conf or a zones/ folder; a folder with zone files only holds standalone zones.
  const folders = [...new Set(listFiles(fixtures).map((file) => path.dirname(file)))];
  for (const folder of folders) {
    const entries = readdirSync(folder).filter((name) => statSync(path.join(folder, name)).isFile());
    if (path.basename(folder) === 'zones' || path.basename(folder) === 'services') continue;
    const zonesFolder = path.join(folder, 'zones');
    const zoneFiles = existsSync(zonesFolder) ? readdirSync(zonesFolder).filter((name) => name.endsWith('.xml')) : [];
    if (entries.includes('firewalld.conf') || zoneFiles.length) {
      const files = new Map<string, string>();
      if (entries.includes('firewalld.conf')) files.set('firewalld.conf', plain(path.join(folder, 'firewalld.conf')));
      else files.set('firewalld.conf', 'DefaultZone=public\n');
      for (const zone of zoneFiles) files.set(`zones/${zone}`, plain(path.join(zonesFolder, zone)));
      const servicesFolder = path.join(folder, 'services');
      for (const service of existsSync(servicesFolder) ? readdirSync(servicesFolder).filter((name) => name.endsWith('.xml')) : [])
        files.set(`services/${service}`, plain(path.join(servicesFolder, service)));
      out.push({ name: path.relative(ROOT, folder), files });
      const goldens = [
        ...entries.filter((name) => name.endsWith('.golden')).map((name) => [name, path.join(folder, name)] as const),
        ...(existsSync(zonesFolder) ? readdirSync(zonesFolder).filter((name) => name.endsWith('.golden')) : []).map(
          (name) => [`zones/${name}`, path.join(zonesFolder, name)] as const,
        ),
      ];
      for (const [relative, file] of goldens)
        out.push({ name: path.relative(ROOT, file), files: new Map(files).set(relative.slice(0, -'.golden'.length), readFileSync(file, 'utf8')) });
    } else
      for (const zone of entries.filter((name) => name.endsWith('.xml')))
        out.push(standalone(path.relative(ROOT, path.join(folder, zone)), plain(path.join(folder, zone))));
  }
  for (const file of listFiles(CORPUS).filter((name) => name.endsWith('.xml')))
    out.push(standalone(path.relative(path.resolve(ROOT, '..'), file), readFileSync(file, 'utf8')));
  for (const file of listFiles(CORPUS).filter((name) => name.endsWith('.conf')))
    out.push({ name: path.relative(path.resolve(ROOT, '..'), file), files: new Map([['firewalld.conf', readFileSync(file, 'utf8')]]) });
  if (existsSync('/etc/firewalld/firewalld.conf')) {
    const files = new Map([['firewalld.conf', readFileSync('/etc/firewalld/firewalld.conf', 'utf8')]]);
    for (const zone of listFiles('/etc/firewalld/zones').filter((name) => name.endsWith('.xml')))
      files.set(`zones/${path.basename(zone)}`, readFileSync(zone, 'utf8'));
    out.push({ name: '/etc/firewalld (Debian, with the zones it ships)', files });
  }
  return out;
}

function writeConfiguration(input: Input): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'scr-firewalld-'));
  for (const sub of ['zones', 'services', 'icmptypes', 'ipsets', 'helpers', 'policies']) mkdirSync(path.join(folder, sub), { recursive: true });
  for (const [relative, content] of input.files) writeFileSync(path.join(folder, relative), content);
  return folder;
}

/** firewall-offline-cmd's verdict on the configuration: undefined when it accepts it, else its complaint. */
async function checkConfig(run: NamespaceRun, folder: string): Promise<string | undefined> {
  const checked = await run([OFFLINE_CMD, '--system-config', folder, '--check-config']);
  return checked.status === 0 ? undefined : `firewall-offline-cmd: ${(checked.stdout + checked.stderr).trim().split('\n').pop()}`;
}

function firewalldStep(input: Input): LoadStep {
  return {
    tool: 'custom',
    async apply(run: NamespaceRun) {
      const folder = writeConfiguration(input);
      try {
        const refused = await checkConfig(run, folder);
        if (refused) return refused;
        const started = await run([PYTHON, '-c', START_FIREWALLD, folder]);
        return started.status === 0 ? undefined : `firewalld: ${started.stderr.trim().split('\n').pop()}`;
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
  refusals: string[];
}

async function prepare(input: Input, seed: number): Promise<Parsed> {
  const base = '/case';
  const files = caseFiles(input.files, base);
  const context = { files, settings: defaultSettings() };
  const problems: ParseProblem[] = [];
  let config: FirewalldConfig | undefined;
  for (const [relative, content] of input.files) {
    const source = new SourceText(`${base}/${relative}`, content);
    const handler = relative === 'firewalld.conf' ? firewalldConf : relative.startsWith('services/') ? firewalldService : firewalldZone;
    const loaded = await handler.load(source, context);
    problems.push(...loaded.problems);
    if (relative === 'firewalld.conf') config = loaded.model;
  }
  const parts = ([4, 6] as const).map((family) => {
    const ruleset = config!.model(family).ruleset;
    return { family, ruleset, probes: distinctSources(planProbes(ruleset, seed * 2 + family)) };
  });
  return {
    input,
    cases: [{ name: input.name, load: [firewalldStep(input)], parts }],
    refusals: problems.filter((problem) => (problem.severity ?? 'warning') !== 'info').map((problem) => problem.message.text),
  };
}

describe('referee: firewalld agrees with the firewalld family', function () {
  this.timeout(600_000);
  before(async function () {
    const missing = [...missingTools().filter((tool) => tool.endsWith('/ip')), ...[OFFLINE_CMD, PYTHON, NFT].filter((tool) => !existsSync(tool))];
    const core = existsSync('/usr/lib/python3/dist-packages/firewall/core/fw.py');
    if (missing.length || !core || process.getuid?.() !== 0) {
      if (process.env.CI === 'true')
        assert.fail(
          `the firewalld referee needs root and ${[...missing, ...(core ? [] : ['python3-firewall'])].join(', ') || 'its tools'} (CI installs firewalld, nftables and iproute2)`,
        );
      this.skip();
    }
    await removeLeftovers();
  });
  after(removeLeftovers);

  it('refuses what firewall-offline-cmd refuses, and delivers exactly what the model says', async function () {
    const parsed: Parsed[] = [];
    let seed = 1;
    for (const input of inputs()) parsed.push(await prepare(input, seed++));
    const results = await runCases(
      parsed.flatMap((entry) => entry.cases),
      PARALLELISM,
    );
    const byName = new Map(results.map((result) => [result.name, result]));
    const disagreements: string[] = [];
    for (const entry of parsed) {
      const result = byName.get(entry.input.name)!;
      const refused = result.loadError;
      if (refused && !entry.refusals.length) disagreements.push(`${entry.input.name}: firewalld refuses it (${refused}), we report no parse problem`);
      if (!refused && entry.refusals.length) disagreements.push(`${entry.input.name}: we report ${entry.refusals.join(', ')}, firewalld accepts it`);
      disagreements.push(...result.disagreements);
    }
    printRefereeTable('firewalld', results, [
      `parse agreement: ${parsed.length} configurations, ${results.filter((result) => result.loadError).length} refused by firewall-offline-cmd`,
    ]);
    assert.ok(results.reduce((sum, result) => sum + result.compared, 0) > 0, 'no probe was compared');
    assert.deepEqual(disagreements, []);
  });
});
