// The real Postfix as referee (issue 3): parse agreement, relay agreement and fix agreement for every
// Postfix fixture, golden file and corpus file. See README.md in this folder for what the copies change.
import assert from 'node:assert/strict';
import { applyFixToFiles, fixCandidates } from '../../support/fixtures';
import { caseFolder, corpusCases, engineView, fixtureCases, mutated, type RefereeCase } from './cases';
import { authoriseSlots, postconf, postfixInstalled, resetSlot, removeSlot, warningsOf } from './environment';
import { compareParse, writeCase } from './parse-agreement';
import { compareRelay, probeAll, relays, serviceName, withInstance } from './relay-agreement';
import { fixClaims } from './claims';

const tally = { files: 0, parameters: 0, probes: 0, startups: 0, refusals: 0, fixes: 0, claims: 0, disagreements: 0 };

describe('Postfix referee (test/referee/postfix)', function () {
  this.timeout(15 * 60_000);
  let cases: RefereeCase[] = [];

  before(async function () {
    if (!postfixInstalled()) {
      const message =
        '\n  !!! Postfix is not installed (/usr/sbin/postfix, /usr/sbin/postconf): the referee tests cannot run.\n  !!! Install it: apt-get install -y postfix (see test/referee/postfix/README.md).\n';
      console.error(message);
      if (process.env.CI === 'true') throw new Error('Postfix is missing under CI=true: the referee tests must run');
      this.skip();
    }
    await authoriseSlots();
    cases = [...(await fixtureCases()), ...(await corpusCases())];
    assert.ok(cases.length > 0, 'no Postfix cases found');
  });

  after(() => {
    console.log('\n  Postfix referee summary');
    console.table({
      'files checked': tally.files,
      'parameters compared': tally.parameters,
      'probes sent': tally.probes,
      'start-up verdicts compared': tally.startups,
      'of which smtpd refused to start': tally.refusals,
      'fixes applied': tally.fixes,
      'fix claims probed': tally.claims,
      disagreements: tally.disagreements,
    });
  });

  it('parse agreement: every parameter we compute equals postconf -n / -x / -P', async () => {
    const failures: string[] = [];
    for (const referee of cases) {
      const directory = await resetSlot(0);
      try {
        const result = await compareParse(referee, await engineView(referee), directory);
        tally.files++;
        tally.parameters += result.compared;
        failures.push(...result.disagreements);
      } finally {
        await removeSlot(directory);
      }
    }
    tally.disagreements += failures.length;
    assert.deepEqual(failures, []);
  });

  it('relay agreement: every probe relays exactly when we say it does, and smtpd refuses to start exactly when we say no relay check works', async () => {
    const judged = [...cases, ...cases.filter((referee) => referee.kind !== 'fixture').map(mutated)];
    const failures: string[] = [];
    // Two instances at a time (CI has two cores); each instance gets its own slot.
    for (let i = 0; i < judged.length; i += 2) {
      const batch = judged.slice(i, i + 2);
      const results = await Promise.all(
        batch.map((referee, index) =>
          compareRelay(referee, index).catch((error: unknown) => ({
            probes: [],
            startups: 0,
            refusals: 0,
            disagreements: [`${referee.name}: ${String(error)}`],
          })),
        ),
      );
      for (const result of results) {
        tally.probes += result.probes.length;
        tally.startups += result.startups;
        tally.refusals += result.refusals;
        failures.push(...result.disagreements);
      }
    }
    tally.disagreements += failures.length;
    assert.deepEqual(failures, []);
  });

  it('fix agreement: after each fix postconf adds no warning, the probes still agree, and the fix does what its title says', async () => {
    const failures: string[] = [];
    for (const referee of cases) {
      const view = await engineView(referee);
      const folder = caseFolder(referee);
      const before = await warningsFor(referee);
      for (const findings of view.findings.values())
        for (const finding of findings)
          for (const candidate of fixCandidates(finding)) {
            const files = applyFixToFiles(referee.files, candidate, folder);
            const fixed: RefereeCase = { name: `fixed:${referee.name}:${finding.ruleId}:${candidate.title.en}`, kind: 'fixed', files };
            tally.fixes++;
            const after = await warningsFor(fixed);
            const added = after.filter((warning) => !before.includes(warning));
            if (added.length) failures.push(`${fixed.name}: postconf warns after the fix: ${added.join('; ')}`);
            const claims = fixClaims(finding, candidate, (file) => referee.files.get(file.slice(folder.length + 1)), view.config);
            const result = await withInstance(fixed, 0, (instance, fixedView) =>
              probeAll(
                instance,
                fixedView,
                fixed,
                claims.map((claim) => claim.address),
              ),
            ).catch((error: unknown) => ({
              probes: [],
              startups: 0,
              refusals: 0,
              disagreements: [`${fixed.name}: ${String(error)}`],
            }));
            tally.probes += result.probes.length;
            tally.startups += result.startups;
            tally.refusals += result.refusals;
            failures.push(...result.disagreements);
            for (const claim of claims) {
              const records = result.probes.filter(
                (record) => record.address === claim.address && record.actual.step !== 'connection' && claim.appliesTo(record.service),
              );
              if (!records.length) failures.push(`${fixed.name}: no listener answered the claim probe ${claim.address}`);
              for (const record of records) {
                tally.claims++;
                if (relays(record.actual) !== claim.relays)
                  failures.push(
                    `${fixed.name} ${serviceName(record.service)} ${claim.address}: ${claim.because}, but Postfix answered ${record.actual.step} ${record.actual.code} ${record.actual.text}`,
                  );
              }
            }
          }
    }
    tally.disagreements += failures.length;
    assert.deepEqual(failures, []);
  });
});

async function warningsFor(referee: RefereeCase): Promise<string[]> {
  const directory = await resetSlot(0);
  try {
    await writeCase(referee, directory);
    return warningsOf((await postconf(directory, ['-n'])).stderr, directory);
  } finally {
    await removeSlot(directory);
  }
}
