// The real Sendmail (Debian's sendmail-bin and sendmail-cf, unpacked, never installed: see
// ../exim/mail-tools.sh) judges the Sendmail model for every fixture, golden file and corpus .mc:
//  - build: m4 with Debian's cf macros turns the .mc into sendmail.cf; the .mc is also asked, through m4
//    itself, which relay FEATUREs are on and what confAUTH_MECHANISMS / confAUTH_OPTIONS hold;
//  - relay: Sendmail's address test mode (`sendmail -bt`) runs ruleset check_rcpt for a recipient in an
//    outside domain with {client_addr} set to each probe address (the access map built by makemap, the
//    relay-domains class read from the case): relaying is allowed exactly when the model says so;
//  - fixes: after each suggestion the .mc still builds, the probes agree and the fix does what it says.
//  - AUTH: in an SMTP session on standard input (`sendmail -bs`, no TLS), EHLO lists PLAIN or LOGIN exactly
//    when the model says Sendmail offers them before TLS.
// The recipient's domain (outside.example) is outside the sandbox host's domain (referee.invalid), so
// FEATUREs that relay to the local domain ($=m) do not apply to it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createLinter } from '../../../src/core/engine';
import { SourceText } from '../../../src/core/source';
import { defaultSettings } from '../../../src/core/settings';
import type { Finding } from '../../../src/core/types';
import { sendmailFamily } from '../../../src/families/sendmail';
import { sendmailMc } from '../../../src/families/sendmail/formats';
import type { SendmailConfig } from '../../../src/families/sendmail/model';
import { relayGrants, relayVerdict } from '../../../src/families/sendmail/relay';
import { offersClearTextBeforeTls } from '../../../src/families/sendmail/checks/auth-plaintext-without-tls';
import { AddressSet, classOf, formatAddress, likelyIntended, parseRange, publicPart } from '../../../src/net';
import { applyFixToFiles, fixCandidates, memoryFiles, parseAnnotated } from '../../support/fixtures';
import { MAKEMAP, REPO, SENDMAIL, SENDMAIL_SHARE, Sandbox, ensureTools, pool, sandboxProblem } from '../exim/sandbox';

const ROOT = '/referee/mail';
const FIXTURES = path.join(REPO, 'test-fixtures/sendmail');
const CORPUS = path.resolve(REPO, '../shared/corpus/sendmail');
const linter = createLinter([sendmailFamily]);
const tally = { cases: 0, 'm4 facts compared': 0, probes: 0, 'AUTH sessions': 0, fixes: 0, 'fix claims': 0, disagreements: 0 };

interface SendmailCase {
  name: string;
  /** File name -> text; the .mc is `sendmail.mc` (or `submit.mc`), with access and relay-domains beside it. */
  files: Map<string, string>;
}

function cases(): SendmailCase[] {
  const out: SendmailCase[] = [];
  const visit = (folder: string) => {
    const entries = readdirSync(folder).sort();
    const files = entries.filter((entry) => statSync(path.join(folder, entry)).isFile());
    const plain = new Map(
      files.filter((file) => !file.endsWith('.golden')).map((file) => [file, parseAnnotated(readFileSync(path.join(folder, file), 'utf8')).text]),
    );
    if (plain.has('sendmail.mc')) {
      const name = path.relative(FIXTURES, folder);
      out.push({ name: `fixture ${name}`, files: plain });
      const goldens = files.filter((file) => file.endsWith('.golden'));
      if (goldens.length) {
        const golden = new Map(plain);
        for (const file of goldens) golden.set(file.slice(0, -'.golden'.length), readFileSync(path.join(folder, file), 'utf8'));
        out.push({ name: `golden ${name}`, files: golden });
      }
    }
    for (const entry of entries) if (statSync(path.join(folder, entry)).isDirectory()) visit(path.join(folder, entry));
  };
  visit(FIXTURES);
  if (existsSync(CORPUS))
    for (const name of readdirSync(CORPUS).sort())
      out.push({
        name: `corpus ${name}`,
        files: new Map([[/submit\.mc$/.test(name) ? 'submit.mc' : 'sendmail.mc', readFileSync(path.join(CORPUS, name), 'utf8')]]),
      });
  out.push({ name: "Debian's sendmail.mc", files: new Map([['sendmail.mc', readFileSync(path.join(SENDMAIL_SHARE, 'cf/debian/sendmail.mc'), 'utf8')]]) });
  return out;
}

const mcName = (referee: SendmailCase) => (referee.files.has('sendmail.mc') ? 'sendmail.mc' : 'submit.mc');

async function model(referee: SendmailCase): Promise<SendmailConfig> {
  const files = memoryFiles(new Map([...referee.files].map(([name, text]) => [`${ROOT}/${name}`, text])));
  const name = mcName(referee);
  const loaded = await sendmailMc.load(new SourceText(`${ROOT}/${name}`, referee.files.get(name)!), { files, settings: defaultSettings() });
  return loaded.model;
}

async function findings(referee: SendmailCase): Promise<Finding[]> {
  const files = memoryFiles(new Map([...referee.files].map(([name, text]) => [`${ROOT}/${name}`, text])));
  const out: Finding[] = [];
  for (const [name, text] of referee.files) out.push(...(await linter.lintFile(`${ROOT}/${name}`, text, { files })).findings);
  return out;
}

/** m4 answers these about the .mc, after cf.m4 has read it. */
const FACTS: ReadonlyArray<[fact: string, m4: string]> = [
  ['promiscuous_relay', "ifdef(`_PROMISCUOUS_RELAY_', `yes', `no')"],
  ['relay_local_from', "ifdef(`_RELAY_LOCAL_FROM_', `yes', `no')"],
  ['relay_mail_from', "ifdef(`_RELAY_DB_FROM_', `yes', `no')"],
  ['loose_relay_check', "ifdef(`_LOOSE_RELAY_CHECK_', `yes', `no')"],
  ['relay_based_on_MX', "ifdef(`_RELAY_MX_SERVED_', `yes', `no')"],
  ['relay_entire_domain', "ifdef(`_RELAY_ENTIRE_DOMAIN_', `yes', `no')"],
  ['access_db', "ifdef(`_ACCESS_TABLE_', `yes', `no')"],
  ['confAUTH_MECHANISMS', "ifdef(`confAUTH_MECHANISMS', `defn(`confAUTH_MECHANISMS')', `(none)')"],
  ['confAUTH_OPTIONS', "ifdef(`confAUTH_OPTIONS', `defn(`confAUTH_OPTIONS')', `(none)')"],
];

function ourFacts(config: SendmailConfig): Map<string, string> {
  const facts = new Map<string, string>();
  for (const [fact] of FACTS.slice(0, 7)) facts.set(fact, config.hasFeature(fact) ? 'yes' : 'no');
  for (const name of ['confAUTH_MECHANISMS', 'confAUTH_OPTIONS']) facts.set(name, config.define(name)?.args[1]?.value ?? '(none)');
  return facts;
}

interface Built {
  folder: string;
  cf: string;
  facts: Map<string, string>;
  problem?: string;
}

/** Writes the case into a folder standing for /etc/mail and builds sendmail.cf from the .mc with m4. */
async function build(sandbox: Sandbox, share: string, referee: SendmailCase, slot: string): Promise<Built> {
  const folder = path.join(sandbox.folder, slot);
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of referee.files) writeFileSync(path.join(folder, name), text);
  for (const name of ['local-host-names', 'relay-domains']) if (!referee.files.has(name)) writeFileSync(path.join(folder, name), '');
  writeFileSync(path.join(folder, 'service.switch'), 'hosts files\naliases files\n');
  const mc = referee.files.get(mcName(referee))!;
  // The case's .mc as cf.m4 reads it on a Debian host: the cf tree from the package (paths rewritten to the
  // unpacked copy), /etc/mail/… includes from the case when it has them (Debian's dialup.m4 and
  // provider.m4 exist only once sendmail is installed: left out), then the questions for m4.
  const text = mc
    .replace(/\/usr\/share\/sendmail/g, share)
    .replace(/include\(`\/etc\/mail\/([^']+)'\)/g, (_whole, name: string) => (referee.files.has(name) ? `include(\`${folder}/${name}')` : ''));
  const questions = FACTS.map(([fact, m4]) => `REFEREE-FACT \`${fact}'=[${m4}]`).join('\n');
  writeFileSync(path.join(folder, 'case.mc'), `${text}\ndivert(0)dnl\n${questions}\n`);
  const includesCf = /include\(`[^']*cf\.m4'\)/.test(text);
  const m4 = await sandbox.run('sh', ['-c', `cd '${share}/cf/cf' && m4 ${includesCf ? '' : `'${share}/cf/m4/cf.m4'`} '${folder}/case.mc'`]);
  const facts = new Map<string, string>();
  for (const match of m4.stdout.matchAll(/^REFEREE-FACT (\w+)=\[(.*)\]$/gm)) facts.set(match[1]!, match[2]!);
  const cf = m4.stdout
    .split('\n')
    .filter((line) => !line.startsWith('REFEREE-FACT'))
    .join('\n')
    .replace(/\/etc\/mail\//g, `${folder}/`)
    .replace(/\/var\/spool\/mqueue/g, `${folder}/mqueue`);
  writeFileSync(path.join(folder, 'sendmail.cf'), cf);
  if (m4.code !== 0) return { folder, cf: path.join(folder, 'sendmail.cf'), facts, problem: `m4 failed: ${m4.stderr.trim()}` };
  // Every map the configuration opens exists on a real host (Debian installs /etc/mail/access with localhost
  // entries; virtusertable, mailertable, … are made by their owners): without the file a lookup fails
  // temporarily. The case's own access file, else an empty map.
  const maps = new Set([...cf.matchAll(/^K\w+\s+(?:hash|btree)\b.*?(\S+)$/gm)].map((match) => match[1]!).filter((file) => file.startsWith(`${folder}/`)));
  maps.add(path.join(folder, 'access'));
  // Class files (`Fw/etc/mail/local-host-names`, `F{Canonify}…`) too: empty ones where the case has none.
  for (const match of cf.matchAll(/^F(?:\w|\{\w+\})(?:-o\s*)?(\S+)/gm))
    if (match[1]!.startsWith(`${folder}/`) && !existsSync(match[1]!)) writeFileSync(match[1]!, '');
  for (const map of maps) {
    const made = await sandbox.run(
      MAKEMAP,
      ['-C', path.join(folder, 'sendmail.cf'), 'hash', map],
      map === path.join(folder, 'access') ? (referee.files.get('access') ?? '') : '',
    );
    if (made.code !== 0) return { folder, cf: path.join(folder, 'sendmail.cf'), facts, problem: `makemap ${map} failed: ${made.stderr.trim()}` };
  }
  return { folder, cf: path.join(folder, 'sendmail.cf'), facts };
}

function seeded(seedText: string): () => number {
  let seed = [...seedText].reduce((value, char) => (Math.imul(value, 31) + char.charCodeAt(0)) | 0, 11);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function probes(config: SendmailConfig, seed: string): string[] {
  const values: bigint[] = [];
  const ranges = [...config.activeAccess.map((entry) => entry.parsed), ...config.classR.map((item) => item.parsed)].filter((parsed) => parsed !== undefined);
  for (const parsed of ranges) {
    const range = parsed.range;
    values.push(range.start, range.end, range.start + (range.end - range.start) / 2n);
    const cidr = publicPart(AddressSet.of(range)).toCidrs()[0];
    if (cidr) values.push(parseRange(cidr)!.range.start);
    const intended = likelyIntended(parsed);
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
  values.push(parseRange('127.0.0.1')!.range.start);
  return [...new Set(values.map(formatAddress))].slice(0, 60);
}

/** Asks check_rcpt for each address in one address-test session; true when Sendmail lets it relay. */
async function ask(sandbox: Sandbox, built: Built, addresses: string[]): Promise<Map<string, string>> {
  const script = ['.D{mail_from}<>', ...addresses.flatMap((address) => [`.D{client_addr}${address}`, 'check_rcpt <probe@outside.example>'])].join('\n') + '\n';
  const result = await sandbox.run(SENDMAIL, [`-OServiceSwitchFile=${built.folder}/service.switch`, '-C', built.cf, '-bt'], script, 60_000);
  const answers = [...result.stdout.matchAll(/^check_rcpt\s+returns: (.*)$/gm)].map((match) => match[1]!);
  const out = new Map<string, string>();
  addresses.forEach((address, index) => out.set(address, answers[index] ?? `(no answer: ${result.stderr.trim().split('\n')[0] ?? ''})`));
  return out;
}

const refused = (answer: string) => /^\$#\s*(error|discard)|^\(no answer/.test(answer);

async function compare(
  sandbox: Sandbox,
  built: Built,
  referee: SendmailCase,
  config: SendmailConfig,
  extra: string[] = [],
): Promise<{ failures: string[]; answers: Map<string, string> }> {
  const failures: string[] = [];
  const ours = ourFacts(config);
  for (const [fact, value] of ours) {
    tally['m4 facts compared']++;
    if (built.facts.get(fact) !== value) failures.push(`${referee.name}: m4 says ${fact} = ${built.facts.get(fact)}, model ${value}`);
  }
  const addresses = [...new Set([...probes(config, referee.name), ...extra])];
  const answers = await ask(sandbox, built, addresses);
  for (const [address, answer] of answers) {
    const verdict = relayVerdict(config, parseRange(address)!.range.start);
    tally.probes++;
    if ((verdict === 'relay') === refused(answer)) failures.push(`${referee.name} ${address}: model says ${verdict}, check_rcpt returns ${answer}`);
  }
  // EHLO in a -bs session: the queue and host-status folders moved into the case, DNS from files only.
  mkdirSync(path.join(built.folder, 'mqueue'), { recursive: true });
  const session = await sandbox.dialogue(
    SENDMAIL,
    [
      `-OServiceSwitchFile=${built.folder}/service.switch`,
      `-OQueueDirectory=${built.folder}/mqueue`,
      `-OHostStatusDirectory=${built.folder}`,
      '-C',
      built.cf,
      '-bs',
    ],
    ['EHLO probe.example', 'QUIT'],
  );
  tally['AUTH sessions']++;
  const offered = /^250[- ]AUTH .*\b(PLAIN|LOGIN)\b/m.test(session);
  if (!/^250[- ]/m.test(session)) failures.push(`${referee.name}: sendmail -bs gave no EHLO reply: ${session.trim().split('\n')[0]}`);
  else if (offered !== offersClearTextBeforeTls(config))
    failures.push(`${referee.name}: EHLO before TLS ${offered ? 'offers' : 'does not offer'} PLAIN/LOGIN, the model says the opposite`);
  return { failures, answers };
}

describe('Sendmail referee (test/referee/sendmail)', function () {
  this.timeout(20 * 60_000);
  let sandbox: Sandbox | undefined;
  let share = '';
  const all = cases();

  before(async function () {
    const problem =
      sandboxProblem() ??
      ensureTools([SENDMAIL, MAKEMAP, path.join(SENDMAIL_SHARE, 'cf/m4/cf.m4')]) ??
      (existsSync('/usr/bin/m4') ? undefined : 'm4 is not installed');
    if (problem) {
      console.error(`\n  !!! Sendmail referee cannot run: ${problem}\n  !!! (.ci/run installs m4 and fetches the packages: test/referee/exim/mail-tools.sh)\n`);
      if (process.env.CI === 'true') throw new Error(`Sendmail referee under CI=true: ${problem}`);
      this.skip();
    }
    sandbox = new Sandbox();
    // The cf tree names its own files by absolute path (/usr/share/sendmail/cf/…): a copy pointing at itself.
    share = path.join(sandbox.folder, 'share');
    await sandbox.run('cp', ['-r', SENDMAIL_SHARE, share]);
    await sandbox.run('sh', ['-c', `grep -rl /usr/share/sendmail '${share}/cf' | xargs sed -i 's#/usr/share/sendmail#${share}#g'`]);
  });

  after(() => {
    sandbox?.remove();
    console.log('\n  Sendmail referee summary');
    console.table(tally);
  });

  it('m4 and check_rcpt agree with the model on every case', async () => {
    const results = await pool(
      all.map((referee, index) => async () => {
        const config = await model(referee);
        const built = await build(sandbox!, share, referee, `case-${index}`);
        tally.cases++;
        if (built.problem) return [`${referee.name}: ${built.problem}`];
        return (await compare(sandbox!, built, referee, config)).failures;
      }),
    );
    const failures = results.flat();
    tally.disagreements += failures.length;
    assert.deepEqual(failures, []);
  });

  it('fix agreement: every fixed case builds, the probes agree, and each fix does what its title says', async () => {
    const failures: string[] = [];
    let slot = 0;
    for (const referee of all.filter((item) => item.name.startsWith('fixture') || item.name.startsWith('corpus'))) {
      const before = await model(referee);
      for (const finding of await findings(referee))
        for (const suggestion of fixCandidates(finding)) {
          const files = applyFixToFiles(referee.files, suggestion, ROOT);
          const fixed: SendmailCase = { name: `fixed ${referee.name} (${suggestion.title.en})`, files };
          tally.fixes++;
          const built = await build(sandbox!, share, fixed, `fix-${slot++}`);
          if (built.problem) {
            failures.push(`${fixed.name}: ${built.problem}`);
            continue;
          }
          const claims = claimsFor(finding, suggestion.title.en, before);
          const result = await compare(
            sandbox!,
            built,
            fixed,
            await model(fixed),
            claims.map((claim) => claim.address),
          );
          failures.push(...result.failures);
          for (const claim of claims) {
            tally['fix claims']++;
            const answer = result.answers.get(claim.address) ?? '(not asked)';
            if (refused(answer) === claim.relays) failures.push(`${fixed.name} ${claim.address}: ${claim.because}, but check_rcpt returns ${answer}`);
          }
          if (finding.ruleId === 'sendmail/auth-plaintext-without-tls') {
            tally['fix claims']++;
            if (!/(^|\s)p(\s|$)/.test(built.facts.get('confAUTH_OPTIONS') ?? ''))
              failures.push(`${fixed.name}: m4 says confAUTH_OPTIONS = ${built.facts.get('confAUTH_OPTIONS')}, without p`);
          }
        }
    }
    tally.disagreements += failures.length;
    assert.deepEqual(failures, []);
  });
});

/** What a fix promises, in addresses: who stops relaying, and (for the octet-prefix replacement) who still does. */
function claimsFor(finding: Finding, title: string, config: SendmailConfig): Array<{ address: string; relays: boolean; because: string }> {
  if (finding.ruleId === 'sendmail/relay-feature-enabled' && /promiscuous_relay/.test(title))
    return [{ address: '8.8.4.4', relays: false, because: 'without promiscuous_relay a stranger no longer relays' }];
  if (finding.ruleId !== 'sendmail/access-relay-public-range') return [];
  const grant = relayGrants(config).find((item) => item.span.file === finding.file && item.span.start === finding.start);
  if (!grant) return [];
  const exposed = publicPart(grant.contribution).toCidrs()[0];
  const out = exposed
    ? [{ address: formatAddress(parseRange(exposed)!.range.start), relays: false, because: `${grant.text} no longer lets this public address relay` }]
    : [];
  const intended = /private block (\S+?)[?)]/.exec(title)?.[1];
  if (intended && title.startsWith('Replace'))
    out.push({ address: formatAddress(parseRange(intended)!.range.start + 1n), relays: true, because: `${intended} still relays` });
  return out;
}
