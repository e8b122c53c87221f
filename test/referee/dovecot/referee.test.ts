// Dovecot's doveconf as referee (issue 14): for every fixture tree, golden tree, Debian's packaged tree, this
// machine's /etc/dovecot and mutations of Debian's tree, doveconf must accept exactly the files we find no
// syntax error in, print the value our model computes for every setting the checks read, in every filter
// context the files write, agree on each login listener's port and TLS, and accept every fix we offer with the
// value the fix promises. See README.md in this folder.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { nodeFiles } from '../../../src/cli/node-files';
import { defaultSettings } from '../../../src/core/settings';
import { SourceText } from '../../../src/core/source';
import type { Finding } from '../../../src/core/types';
import { engine } from '../../../src/product';
import { dovecotConf, type DovecotConfig } from '../../../src/families/dovecot/formats';
import { type Connection, DEFAULTS, type Filter, dovecotBool, dovecotMilliseconds } from '../../../src/families/dovecot/model';
import { formatAddress } from '../../../src/net';
import { applyFixToFiles, fixCandidates } from '../../support/fixtures';
import { type DovecotCase, corpusCases, fixtureCases, mutatedCases, removeCase, syntaxCases, writeCase } from './cases';
import { doveconf, doveconfInstalled, values } from './doveconf';

/** The settings the checks read, compared in every context. */
const KEYS = ['disable_plaintext_auth', 'ssl', 'auth_mechanisms', 'login_trusted_networks', 'auth_failure_delay', 'listen'];
/** Login listeners Dovecot 2.3 defines by default, per login service (managesieve-login needs Pigeonhole's managesieved). */
const LISTENERS: Record<string, string[]> = {
  'imap-login': ['imap', 'imaps'],
  'pop3-login': ['pop3', 'pop3s'],
  'submission-login': ['submission'],
};
const LISTENER_DEFAULTS: Record<string, { port: string; ssl: string }> = {
  imap: { port: '143', ssl: 'no' },
  imaps: { port: '993', ssl: 'yes' },
  pop3: { port: '110', ssl: 'no' },
  pop3s: { port: '995', ssl: 'yes' },
  submission: { port: '587', ssl: 'no' },
  sieve: { port: '4190', ssl: 'no' },
};
/** Reasons doveconf refuses a file that lie outside the syntax and values the model reads. */
const UNMODELLED_REFUSALS = /Unknown setting|Invalid |missing units|Couldn't open include file|No matches|Conflict in setting|Unknown section|not set/;

const tally = { trees: 0, accepted: 0, refused: 0, contexts: 0, values: 0, listeners: 0, sslWarnings: 0, fixes: 0, disagreements: 0 };

/** Normalises a value the way the settings parser reads it, so that `y` and `yes`, `0` and `0 secs` compare. */
function normal(key: string, value: string): string {
  if (key === 'disable_plaintext_auth') return String(dovecotBool(value) ?? value);
  if (key === 'auth_failure_delay') return String(dovecotMilliseconds(value) ?? value);
  return value.trim().replace(/\s+/g, ' ');
}

/** doveconf -f arguments and our Connection for the connections a filter applies to (an address inside it, and one just outside). */
function contexts(filter: Filter): Array<{ label: string; args: string[]; connection: Connection }> {
  if (filter.protocol?.startsWith('!') || (filter.remote && !filter.remote.parsed) || (filter.local && !filter.local.parsed)) return [];
  const base: { args: string[]; connection: Connection } = { args: [], connection: {} };
  if (filter.protocol !== undefined) {
    base.args.push(`protocol=${filter.protocol}`);
    base.connection.protocol = filter.protocol;
  }
  if (filter.localName !== undefined) {
    const name = filter.localName.split(' ')[0]!;
    base.args.push(`local_name=${name}`);
    base.connection.localName = name;
  }
  if (filter.local?.parsed) {
    const at = filter.local.parsed.range.start;
    base.args.push(`local=${formatAddress(at)}`);
    base.connection.local = { start: at, end: at };
  }
  const out = [{ label: base.args.join(' ') || 'global', ...base }];
  if (filter.remote?.parsed) {
    const { start, end } = filter.remote.parsed.range;
    out[0] = {
      label: `${base.args.join(' ')} remote=${formatAddress(start)}`.trim(),
      args: [...base.args, `remote=${formatAddress(start)}`],
      connection: { ...base.connection, remote: { start, end: start } },
    };
    if (end + 1n < 1n << 128n) {
      const outside = end + 1n;
      out.push({
        label: `${base.args.join(' ')} remote=${formatAddress(outside)} (outside)`.trim(),
        args: [...base.args, `remote=${formatAddress(outside)}`],
        connection: { ...base.connection, remote: { start: outside, end: outside } },
      });
    }
  }
  return out;
}

interface View {
  /** The folder the case was written to when the view was made (the findings' paths are below it). */
  folder: string;
  config: DovecotConfig;
  findings: Map<string, Finding[]>;
  syntaxErrors: string[];
}

async function viewOf(folder: string, referee: DovecotCase): Promise<View> {
  const root = path.join(folder, 'dovecot.conf');
  const loaded = await dovecotConf.load(new SourceText(root, referee.files.get('dovecot.conf')!), { files: nodeFiles, settings: defaultSettings() });
  const findings = new Map<string, Finding[]>();
  const syntaxErrors: string[] = [];
  for (const [relative, text] of referee.files) {
    const file = path.join(folder, relative);
    const result = await engine.lintFile(file, text, { files: nodeFiles });
    if (result.format !== dovecotConf.id) continue;
    findings.set(relative, result.findings);
    for (const finding of result.findings)
      if (finding.ruleId === 'config/parse-problem' && finding.severity === 'error')
        syntaxErrors.push(`${relative}:${finding.range.start.line + 1} ${finding.message.en}`);
  }
  return { folder, config: loaded.model, findings, syntaxErrors };
}

async function judge(referee: DovecotCase): Promise<{ disagreements: string[]; view: View; accepted: boolean }> {
  const folder = writeCase(referee);
  const disagreements: string[] = [];
  const say = (text: string) => disagreements.push(`${referee.name}: ${text}`);
  try {
    const root = path.join(folder, 'dovecot.conf');
    const view = await viewOf(folder, referee);
    const accepted = await doveconf(['-c', root, '-n']);
    tally.trees++;
    // 1. Acceptance: doveconf accepts exactly when we find no syntax error (refusals outside the model are tallied).
    if (accepted.code === 0) tally.accepted++;
    else tally.refused++;
    if (accepted.code === 0 && view.syntaxErrors.length) say(`doveconf accepts it, we report ${view.syntaxErrors.join('; ')}`);
    if (accepted.code !== 0 && !view.syntaxErrors.length && (referee.refused || !UNMODELLED_REFUSALS.test(accepted.stderr)))
      say(`doveconf refuses it (${accepted.stderr.trim()}), we report no error`);
    if (referee.refused === true && accepted.code === 0) say('planted to be refused, but doveconf accepts it');
    if (accepted.code !== 0) return { disagreements, view, accepted: false };
    // 2. Values in every context the files write.
    for (const filter of view.config.filters())
      for (const context of contexts(filter)) {
        tally.contexts++;
        const result = await values(root, context.args, KEYS);
        if (result.code !== 0) {
          say(`doveconf -h ${context.label} failed: ${result.stderr.trim()}`);
          continue;
        }
        KEYS.forEach((key, index) => {
          tally.values++;
          const ours = view.config.value(key, context.connection);
          if (normal(key, ours) !== normal(key, result.values[index] ?? ''))
            say(`${key} for ${context.label}: we say "${ours}", doveconf says "${result.values[index]}"`);
        });
      }
    // 3. Login listeners: port and TLS of the default ones and of those the files add.
    for (const [service, defaults] of Object.entries(LISTENERS)) {
      const names = new Set([...defaults, ...view.config.sectionNames([{ type: 'service', name: service }], 'inet_listener')]);
      for (const name of names) {
        const sections = [
          { type: 'service', name: service },
          { type: 'inet_listener', name },
        ];
        const result = await values(root, [], [`service/${service}/inet_listener/${name}/port`, `service/${service}/inet_listener/${name}/ssl`]);
        tally.listeners++;
        const port = view.config.sectionValue(sections, 'port')?.value ?? LISTENER_DEFAULTS[name]?.port ?? '0';
        const ssl = view.config.sectionValue(sections, 'ssl')?.value ?? LISTENER_DEFAULTS[name]?.ssl ?? 'no';
        if (
          result.code !== 0 ||
          result.values[0] !== port ||
          normal('disable_plaintext_auth', result.values[1] ?? '') !== normal('disable_plaintext_auth', ssl)
        )
          say(
            `listener ${service}/${name}: we say port ${port} ssl ${ssl}, doveconf says ${result.code === 0 ? result.values.join(' ') : result.stderr.trim()}`,
          );
      }
    }
    // 4. A global ssl = no switches TLS off in every filter (config-parser.c warns once): the check relies on it.
    const globalOff = view.config.value('ssl') === 'no';
    const filterOn = view.config.settings.some(
      (setting) => setting.key === 'ssl' && !setting.sections.length && Object.keys(setting.filter).length > 0 && setting.value !== 'no',
    );
    const warned = /SSL is disabled because global ssl=no/.test(accepted.stderr);
    if (globalOff && filterOn) tally.sslWarnings++;
    if (globalOff && filterOn !== warned)
      say(
        `global ssl = no with a filter setting ssl: we ${filterOn ? 'expect' : 'do not expect'} doveconf's "SSL is disabled because global ssl=no"; it ${warned ? 'warns' : 'does not'}`,
      );
    return { disagreements, view, accepted: true };
  } finally {
    removeCase(folder);
  }
}

/** Every suggestion of every finding, applied: doveconf still accepts the tree and the finding is gone. */
async function judgeFixes(referee: DovecotCase, view: View): Promise<string[]> {
  const disagreements: string[] = [];
  for (const [relative, findings] of view.findings)
    for (const finding of findings)
      for (const fix of fixCandidates(finding)) {
        if (finding.ruleId === 'config/parse-problem') continue;
        // Edits name files of the folder the view was made in.
        const files = applyFixToFiles(referee.files, fix, view.folder);
        const fixed: DovecotCase = { name: `fixed:${referee.name}:${finding.ruleId}:${fix.title.en}`, kind: 'fixed', files };
        tally.fixes++;
        const result = await judge(fixed);
        disagreements.push(...result.disagreements);
        if (!result.accepted) disagreements.push(`${fixed.name}: doveconf refuses the fixed files`);
        const still = result.view.findings
          .get(relative)
          ?.some((other) => other.ruleId === finding.ruleId && other.range.start.line === finding.range.start.line);
        if (still) disagreements.push(`${fixed.name}: the finding is still reported after its fix`);
      }
  return disagreements;
}

describe('Dovecot referee (test/referee/dovecot)', function () {
  this.timeout(10 * 60_000);
  let cases: DovecotCase[] = [];

  before(function () {
    if (!doveconfInstalled()) {
      console.error(
        '\n  !!! Dovecot is not installed (/usr/bin/doveconf): the Dovecot referee cannot run.\n  !!! Install it: apt-get install -y dovecot-core\n',
      );
      if (process.env.CI === 'true') throw new Error('doveconf is missing under CI=true: the Dovecot referee must run');
      this.skip();
    }
    const corpus = corpusCases();
    const debian = corpus.filter((referee) => referee.kind === 'corpus');
    cases = [...fixtureCases(), ...corpus, ...debian.flatMap(mutatedCases), ...debian.flatMap(syntaxCases)];
    assert.ok(cases.length > 0, 'no Dovecot cases found');
  });

  after(() => {
    console.log('\n  Dovecot referee summary');
    console.table({
      'trees checked': tally.trees,
      'accepted by doveconf': tally.accepted,
      'refused by doveconf': tally.refused,
      'filter contexts compared': tally.contexts,
      'values compared': tally.values,
      'listeners compared': tally.listeners,
      'global ssl = no warnings expected': tally.sslWarnings,
      'fixes applied': tally.fixes,
      disagreements: tally.disagreements,
    });
  });

  it('doveconf -n / -h agree with our parser and model, and every fix keeps the tree valid and removes its finding', async () => {
    const failures: string[] = [];
    for (const referee of cases) {
      const result = await judge(referee);
      failures.push(...result.disagreements);
      if (result.accepted) failures.push(...(await judgeFixes(referee, result.view)));
    }
    assert.ok(DEFAULTS.disable_plaintext_auth === 'yes');
    tally.disagreements += failures.length;
    assert.deepEqual(failures, []);
  });
});
