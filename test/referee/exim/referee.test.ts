// The real Exim (Debian's exim4-daemon-heavy, unpacked, never installed: see mail-tools.sh) judges the Exim
// model for every case of cases.ts:
//  - parse: `exim -bV` accepts the configuration, and every named list, the relay-deciding options, the
//    authenticators and the file-defined macros we compute equal `exim -bP` (Debian's update-exim4.conf
//    itself turns update-exim4.conf.conf and the template or conf.d into the configuration Exim reads);
//  - relay: `exim -bh ADDRESS` (host checking: a simulated SMTP session from ADDRESS, nothing delivered)
//    for the probe addresses of every relay list: RCPT to an outside domain is accepted exactly when the
//    model says the client may relay;
//  - AUTH: the EHLO answer to a stranger lists PLAIN/LOGIN exactly when exim/auth-without-tls says so;
//  - fixes: after each suggestion Exim still accepts the configuration, the probes still agree and the fix
//    does what its title says.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createLinter } from '../../../src/core/engine';
import { eximFamily } from '../../../src/families/exim';
import { SourceText } from '../../../src/core/source';
import { defaultSettings } from '../../../src/core/settings';
import type { Finding } from '../../../src/core/types';
import { DEBIAN_DEFAULT_PATH, eximConf, eximDebconf } from '../../../src/families/exim/formats';
import type { EximConfig } from '../../../src/families/exim/model';
import { relayVerdict } from '../../../src/families/exim/acl';
import { relayItems } from '../../../src/families/exim/relay';
import { advertisedWithoutTls, clearTextMechanism } from '../../../src/families/exim/checks/auth-without-tls';
import { hostItem, splitList } from '../../../src/families/exim/lists';
import { AddressSet, classOf, formatAddress, likelyIntended, parseRange, publicPart } from '../../../src/net';
import { applyFixToFiles, fixCandidates, memoryFiles } from '../../support/fixtures';
import { type EximCase, allCases } from './cases';
import { EXIM, EXIM_CONFIG, Sandbox, UPDATE_EXIM4_CONF, ensureTools, pool, sandboxProblem } from './sandbox';

const ROOT = '/referee';
// The Exim family alone: what it reports does not depend on the other families.
const engine = createLinter([eximFamily]);
const tally = {
  cases: 0,
  'named lists': 0,
  options: 0,
  authenticators: 0,
  macros: 0,
  probes: 0,
  undecided: 0,
  'auth probes': 0,
  fixes: 0,
  'fix claims': 0,
  disagreements: 0,
};

async function model(referee: EximCase): Promise<{ config: EximConfig; problems: number }> {
  const files = memoryFiles(new Map([...referee.files].map(([name, text]) => [`${ROOT}/${name}`, text])));
  const format = referee.kind === 'debconf' ? eximDebconf : eximConf;
  const loaded = await format.load(new SourceText(`${ROOT}/${referee.entry}`, referee.files.get(referee.entry)!), { files, settings: defaultSettings() });
  return { config: loaded.model, problems: loaded.problems.length };
}

async function findings(referee: EximCase): Promise<Finding[]> {
  const files = memoryFiles(new Map([...referee.files].map(([name, text]) => [`${ROOT}/${name}`, text])));
  const out: Finding[] = [];
  for (const [name, text] of referee.files) {
    const result = await engine.lintFile(`${ROOT}/${name}`, text, { files });
    out.push(...result.findings);
  }
  return out;
}

/** Writes the case and returns the configuration file Exim reads (update-exim4.conf's output for Debian's). */
async function prepare(sandbox: Sandbox, referee: EximCase, slot: string): Promise<{ file: string; args: string[]; problem?: string }> {
  const folder = path.join(sandbox.folder, slot);
  mkdirSync(folder, { recursive: true });
  chmodSync(folder, 0o755);
  for (const [name, text] of referee.files) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), text);
  }
  const spool = path.join(folder, '.spool');
  mkdirSync(spool, { recursive: true });
  // Exim drops to its own user for the SMTP session; the scratch spool must be writable for it.
  chmodSync(spool, 0o777);
  if (referee.kind === 'conf') return { file: path.join(folder, referee.entry), args: [] };
  // Debian's own generator, pointed at this folder; the package's template or conf.d when the case has none.
  const debconf = referee.files.get(referee.entry)!;
  const split = /^dc_use_split_config='?true'?/m.test(debconf);
  if (split && ![...referee.files.keys()].some((name) => name.startsWith('conf.d/'))) await sandbox.run('cp', ['-r', path.join(EXIM_CONFIG, 'conf.d'), folder]);
  if (!split && !referee.files.has('exim4.conf.template')) await sandbox.run('cp', [path.join(EXIM_CONFIG, 'exim4.conf.template'), folder]);
  writeFileSync(path.join(folder, '.mailname'), 'referee.invalid\n');
  // Debian's script, reading this folder's mailname instead of /etc/mailname and not validating with an
  // installed exim (the referee runs exim -bV itself).
  const script = path.join(folder, '.update-exim4.conf');
  writeFileSync(
    script,
    readFileSync(UPDATE_EXIM4_CONF, 'utf8')
      .replace(/\/etc\/mailname/g, path.join(folder, '.mailname'))
      .replace(/^EXIM=.*$/m, 'EXIM=/bin/false'),
  );
  const output = path.join(folder, '.generated.conf');
  const result = await sandbox.run('sh', [script, '-d', folder, '-o', output]);
  if (result.code !== 0) return { file: output, args: [], problem: `update-exim4.conf failed: ${result.stderr.trim()}` };
  return { file: output, args: [`-DSPOOLDIR=${spool}`] };
}

const exim = (sandbox: Sandbox, file: string, args: string[], more: string[], input = '') => sandbox.run(EXIM, ['-C', file, ...args, ...more], input);
const collapse = (value: string) => value.replace(/\s+/g, ' ').trim();

async function compareParse(sandbox: Sandbox, referee: EximCase, config: EximConfig, problems: number, file: string, args: string[]): Promise<string[]> {
  const failures: string[] = [];
  const verify = await exim(sandbox, file, args, ['-bV']);
  if ((verify.code === 0) !== (problems === 0))
    failures.push(
      `${referee.name}: exim -bV exit ${verify.code}, model reports ${problems} parse problem(s): ${verify.stderr.trim().split('\n').slice(0, 2).join(' ')}`,
    );
  if (verify.code !== 0) return failures;
  // One -bP for every list and option (printed one a line, in order), one for all macros.
  const lists = [...config.lists.values()];
  const options = ['acl_smtp_connect', 'acl_smtp_mail', 'acl_smtp_rcpt', 'auth_advertise_hosts', 'local_interfaces'].filter((name) => config.option(name));
  const printed = (await exim(sandbox, file, args, ['-bP', ...lists.map((list) => `+${list.name}`), ...options])).stdout.split('\n');
  lists.forEach((list, index) => {
    tally['named lists']++;
    const ours = collapse(`${list.kind} ${list.name} = ${list.value.text}`);
    if (collapse(printed[index] ?? '') !== ours) failures.push(`${referee.name}: exim -bP +${list.name} says "${printed[index]}", model "${ours}"`);
  });
  options.forEach((name, index) => {
    tally.options++;
    const answer = collapse(printed[lists.length + index] ?? '');
    const setting = config.option(name)!;
    if (answer !== collapse(`${name} = ${setting.value.text}`))
      failures.push(`${referee.name}: exim -bP ${name} says "${answer}", model "${setting.value.text}"`);
  });
  // With update-exim4.conf.conf alone the model stands for Debian's template by its relay part only
  // (DEBIAN_DEFAULT): the template's authenticators are client-side, which the AUTH probe still checks.
  const virtual = config.sources.some((source) => source.path === DEBIAN_DEFAULT_PATH);
  const authenticators = (await exim(sandbox, file, args, ['-bP', 'authenticator_list'])).stdout.split('\n').filter(Boolean);
  tally.authenticators += authenticators.length;
  const ours = config.authenticators.map((driver) => driver.name);
  if (!virtual && JSON.stringify(authenticators) !== JSON.stringify(ours))
    failures.push(`${referee.name}: exim authenticators [${authenticators.join(', ')}], model [${ours.join(', ')}]`);
  const macros = new Map(
    (await exim(sandbox, file, args, ['-bP', 'macros'])).stdout
      .split('\n')
      .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1]!, match[2]!] as [string, string]),
  );
  for (const macro of config.macros.values()) {
    // SPOOLDIR is the referee's own -D (a scratch spool); the model reads the files as they are.
    if (!macro.span || !macro.span.file.startsWith(ROOT) || macro.span.file.endsWith('update-exim4.conf.conf') || macro.name === 'SPOOLDIR') continue;
    tally.macros++;
    const answer = macros.get(macro.name);
    if (collapse(answer ?? '(undefined)') !== collapse(macro.value.text))
      failures.push(`${referee.name}: exim -bP macros says ${macro.name}=${answer}, model "${macro.value.text}"`);
  }
  return failures;
}

/** Seeded pseudo-random numbers (the same probes every run). */
function seeded(seedText: string): () => number {
  let seed = [...seedText].reduce((value, char) => (Math.imul(value, 31) + char.charCodeAt(0)) | 0, 7);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Edges of every range in every host list, the public part and a mistyped range's intended block, strangers. */
export function probes(config: EximConfig, seed: string): string[] {
  const values: bigint[] = [];
  const ranges = [...config.lists.values()]
    .filter((list) => list.kind === 'hostlist')
    .flatMap((list) => splitList(list.value))
    .concat(relayItems(config).map((entry) => entry.item));
  for (const item of ranges) {
    const kind = hostItem(item.value);
    if (kind.kind !== 'range') continue;
    const range = kind.parsed.range;
    values.push(range.start, range.end, range.start + (range.end - range.start) / 2n);
    const cidr = publicPart(AddressSet.of(range)).toCidrs()[0];
    if (cidr) values.push(parseRange(cidr)!.range.start);
    const intended = likelyIntended(kind.parsed);
    if (intended) {
      const block = parseRange(intended)!.range;
      values.push(block.start - 1n, block.start, block.end + 1n);
    }
  }
  const random = seeded(seed);
  for (let added = 0; added < 4;) {
    const candidate = 0xffff00000000n + BigInt(Math.floor(random() * 2 ** 32));
    if (classOf(candidate) !== 'public') continue;
    values.push(candidate);
    added++;
  }
  values.push(parseRange('127.0.0.1')!.range.start, (0x2a00_1450n << 96n) | BigInt(Math.floor(random() * 2 ** 32)));
  return [...new Set(values.filter((value) => value >= 0n && value < 1n << 128n).map(formatAddress))].slice(0, 48);
}

const SESSION = 'EHLO probe.invalid\r\nMAIL FROM:<>\r\nRCPT TO:<probe@outside.invalid>\r\nQUIT\r\n';

/** The final reply lines of a -bh session: banner, EHLO, MAIL, RCPT, QUIT. */
function replies(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => /^\d{3} /.test(line));
}

interface ProbeResult {
  address: string;
  accepted: boolean;
  line: string;
}

async function probe(sandbox: Sandbox, file: string, args: string[], address: string): Promise<ProbeResult> {
  const result = await exim(sandbox, file, args, ['-bh', address], SESSION);
  const lines = replies(result.stdout);
  const rcpt = lines[3] ?? lines[lines.length - 1] ?? `(no answer: ${result.stderr.trim().split('\n')[0]})`;
  return { address, accepted: /^2/.test(rcpt) && lines.length >= 4, line: rcpt };
}

async function compareRelay(
  sandbox: Sandbox,
  referee: EximCase,
  config: EximConfig,
  file: string,
  args: string[],
  extra: string[] = [],
): Promise<{ failures: string[]; results: ProbeResult[] }> {
  const failures: string[] = [];
  const addresses = [...new Set([...probes(config, referee.name), ...extra])];
  const results = await pool(addresses.map((address) => () => probe(sandbox, file, args, address)));
  for (const result of results) {
    const verdict = relayVerdict(config, parseRange(result.address)!.range.start);
    if (verdict === 'unknown') {
      tally.undecided++;
      continue;
    }
    tally.probes++;
    if ((verdict === 'accept') !== result.accepted) failures.push(`${referee.name} ${result.address}: model says ${verdict}, exim answered ${result.line}`);
  }
  // The stranger: EHLO's AUTH line lists a clear-text mechanism exactly when the model says it is offered.
  const ehlo = await exim(sandbox, file, args, ['-bh', '192.0.2.77'], 'EHLO probe.invalid\r\nQUIT\r\n');
  const advertised = new Set((/^250[- ]AUTH (.*)$/m.exec(ehlo.stdout)?.[1] ?? '').split(/\s+/).filter((name) => name === 'PLAIN' || name === 'LOGIN'));
  const claimed = new Set(config.authenticators.filter((driver) => advertisedWithoutTls(config, driver)).map((driver) => clearTextMechanism(driver)!));
  tally['auth probes']++;
  if ([...advertised].sort().join() !== [...claimed].sort().join())
    failures.push(`${referee.name}: EHLO to a stranger offers [${[...advertised].join(' ')}], model says [${[...claimed].join(' ')}]`);
  return { failures, results };
}

describe('Exim referee (test/referee/exim)', function () {
  this.timeout(20 * 60_000);
  let sandbox: Sandbox | undefined;
  const cases = allCases();

  before(function () {
    const problem = sandboxProblem() ?? ensureTools([EXIM, UPDATE_EXIM4_CONF]);
    if (problem) {
      console.error(`\n  !!! Exim referee cannot run: ${problem}\n  !!! (.ci/run fetches the packages: test/referee/exim/mail-tools.sh)\n`);
      if (process.env.CI === 'true') throw new Error(`Exim referee under CI=true: ${problem}`);
      this.skip();
    }
    sandbox = new Sandbox();
  });

  after(() => {
    sandbox?.remove();
    console.log('\n  Exim referee summary');
    console.table(tally);
  });

  it('parse, relay and AUTH agreement on every case', async () => {
    // Two cases at a time (CI has two cores); each has its own scratch folder.
    const results = await pool(
      cases.map((referee, slot) => async () => {
        const { config, problems } = await model(referee);
        const prepared = await prepare(sandbox!, referee, `case-${slot}`);
        tally.cases++;
        if (prepared.problem) return [`${referee.name}: ${prepared.problem}`];
        const out = await compareParse(sandbox!, referee, config, problems, prepared.file, prepared.args);
        if (problems === 0) out.push(...(await compareRelay(sandbox!, referee, config, prepared.file, prepared.args)).failures);
        return out;
      }),
    );
    const failures = results.flat();
    tally.disagreements += failures.length;
    assert.deepEqual(failures, []);
  });

  it('fix agreement: Exim accepts every fixed file, the probes agree, and each fix does what its title says', async () => {
    const failures: string[] = [];
    let slot = 0;
    for (const referee of cases.filter((item) => item.name.startsWith('fixture') || item.name.startsWith('corpus'))) {
      const before = await model(referee);
      for (const finding of await findings(referee))
        for (const suggestion of fixCandidates(finding)) {
          const files = applyFixToFiles(referee.files, suggestion, ROOT);
          const fixed: EximCase = { ...referee, name: `fixed ${referee.name} (${suggestion.title.en})`, files };
          tally.fixes++;
          const after = await model(fixed);
          const prepared = await prepare(sandbox!, fixed, `fix-${slot++}`);
          if (prepared.problem) {
            failures.push(`${fixed.name}: ${prepared.problem}`);
            continue;
          }
          const verify = await exim(sandbox!, prepared.file, prepared.args, ['-bV']);
          if (verify.code !== 0) {
            failures.push(`${fixed.name}: exim -bV refuses the fixed configuration: ${verify.stderr.trim()}`);
            continue;
          }
          const claims = claimsFor(finding, suggestion.title.en, before.config);
          const relay = await compareRelay(
            sandbox!,
            fixed,
            after.config,
            prepared.file,
            prepared.args,
            claims.map((claim) => claim.address),
          );
          failures.push(...relay.failures);
          for (const claim of claims) {
            tally['fix claims']++;
            const result = relay.results.find((item) => item.address === claim.address);
            if (!result || result.accepted !== claim.accepted)
              failures.push(`${fixed.name} ${claim.address}: ${claim.because}, but exim answered ${result?.line}`);
          }
          if (finding.ruleId === 'exim/auth-without-tls') {
            tally['fix claims']++;
            const ehlo = await exim(sandbox!, prepared.file, prepared.args, ['-bh', '192.0.2.77'], 'EHLO probe.invalid\r\nQUIT\r\n');
            const mechanism = /offers (\w+)/.exec(finding.message.en)?.[1] ?? '';
            if (new RegExp(`^250[- ]AUTH .*\\b${mechanism}\\b`, 'm').test(ehlo.stdout))
              failures.push(`${fixed.name}: ${mechanism} is still offered without TLS`);
          }
        }
    }
    tally.disagreements += failures.length;
    assert.deepEqual(failures, []);
  });
});

/** What a relay-list fix promises: the public addresses the item let in no longer relay; the intended block does. */
function claimsFor(finding: Finding, title: string, config: EximConfig): Array<{ address: string; accepted: boolean; because: string }> {
  if (finding.ruleId !== 'exim/relay-hosts-public-range') return [];
  const entry = relayItems(config).find((item) => {
    const span = item.item.raw.span();
    return span && span.file === finding.file && span.start === finding.start;
  });
  if (!entry) return [];
  const exposed = publicPart(entry.contribution).toCidrs()[0];
  const out = exposed
    ? [
        {
          address: formatAddress(parseRange(exposed)!.range.start),
          accepted: false,
          because: `${entry.item.raw.text} no longer lets this public address relay`,
        },
      ]
    : [];
  const intended = /private block (\S+?)\?/.exec(finding.message.en)?.[1];
  if (intended && title.startsWith('Replace'))
    out.push({ address: formatAddress(parseRange(intended)!.range.start + 1n), accepted: true, because: `${intended} still relays` });
  return out;
}
