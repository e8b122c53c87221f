// Referee: Debian's HAProxy judges the haproxy family. For every HAProxy fixture, golden file and corpus file:
// 1. parse agreement: `haproxy -c` accepts the file (made runnable here: certificates, error files and
//    sockets in a temporary folder, no chroot/user/daemon/syslog) exactly when we report no parse problem;
//    and a set of broken files, one for each parse problem we report, is refused.
// 2. behaviour agreement (as root): in a network namespace of its own (`unshare -n`: its own loopback, gone
//    when the probing process ends), HAProxy runs the file with stand-in servers behind it, and requests come
//    from chosen source addresses (a stranger 203.0.113.7, private and loopback ones, one inside every `src`
//    allow-list): the statistics page, the servers and the runtime API must answer exactly as the model says.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { defaultSettings } from '../../../src/core/settings';
import { haproxyCfg } from '../../../src/families/haproxy/formats';
import { memoryFiles } from '../../support/fixtures';
import { ROOT, type Input, inputs, requireProgram, withTempDirAsync } from '../datastores/support';
import { type ProbeResult, buildPlan, modelOf, neutralise, observed } from './plan';

const isRoot = process.getuid?.() === 0;
const INSIDE = path.join(__dirname, 'inside.ts');

/** Files we must report a parse problem for, and HAProxy must refuse. */
const BROKEN: Record<string, string> = {
  'unclosed quote': 'defaults\n    mode http\nfrontend f\n    bind :8080\n    http-request set-header X-A "open\n',
  'keyword outside a section': 'bind :8080\nfrontend f\n    bind :8081\n',
  'frontend without a name': 'frontend\n    bind :8080\n',
  'ACL used before it is declared': 'frontend f\n    mode http\n    bind :8080\n    http-request deny if office\n    acl office src 10.0.0.0/8\n',
  'ACL of a defaults section used by a frontend':
    'defaults base\n    mode http\n    acl office src 10.0.0.0/8\nfrontend f from base\n    bind :8080\n    http-request deny unless office\n',
  'unknown backend': 'frontend f\n    mode http\n    bind :8080\n    default_backend nowhere\n',
  'defaults with rules shared by frontends and backends':
    'defaults base\n    mode http\n    http-request deny if { src 10.0.0.0/8 }\nfrontend f from base\n    bind :8080\n    default_backend b\nbackend b from base\n    server s 127.0.0.1:8081\n',
  'unclosed anonymous ACL': 'frontend f\n    mode http\n    bind :8080\n    http-request deny if { src 10.0.0.0/8\n',
  '.if without .endif': '.if 1\nfrontend f\n    bind :8080\n',
};

async function problemsOf(text: string): Promise<string[]> {
  const loaded = await haproxyCfg.load(new SourceText('/referee/haproxy.cfg', text), { files: memoryFiles(new Map()), settings: defaultSettings() });
  return loaded.problems.map((problem) => problem.message.text);
}

function check(haproxy: string, file: string): { accepted: boolean; reason: string } {
  const result = spawnSync(haproxy, ['-c', '-f', file], { encoding: 'utf8' });
  const reason = (result.stderr ?? '')
    .split('\n')
    .filter((line) => line.includes('[ALERT]'))
    .map((line) => line.replace(/^.*?: config : /, ''))
    .slice(0, 2)
    .join(' | ');
  return { accepted: result.status === 0, reason };
}

function allInputs(): Input[] {
  const out = inputs(['haproxy'], ['other']);
  // Golden files are what fixes leave behind: HAProxy must accept them too.
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.cfg.golden'))
        out.push({ name: path.relative(path.dirname(ROOT), full), text: readFileSync(full, 'utf8'), siblings: new Map(), baseName: entry.name });
    }
  };
  visit(path.join(ROOT, 'test-fixtures/haproxy'));
  return out;
}

function runInside(plan: object, folder: string): Promise<{ results: ProbeResult[]; log: string } | string> {
  const planPath = path.join(folder, 'plan.json');
  writeFileSync(planPath, JSON.stringify(plan));
  return new Promise((resolve) => {
    const child = spawn('unshare', ['-n', process.execPath, '--import', 'tsx', INSIDE, planPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        const answer = JSON.parse(out) as { results: ProbeResult[]; log: string; early?: boolean };
        resolve(answer.early ? `HAProxy stopped before the probes ended: ${answer.log.replace(/\n/g, ' | ')}` : answer);
      } catch {
        resolve(`probing failed: ${err.split('\n').slice(0, 3).join(' | ')}`);
      }
    });
  });
}

interface Row {
  name: string;
  haproxy: string;
  ours: string;
  probes: number;
  disagreements: string[];
}

/** Probes compared, by what they asked (statistics page, servers, runtime API, socket permissions). */
const byKind = new Map<string, number>();

describe('referee: HAProxy agrees with the haproxy family', function () {
  this.timeout(600_000);

  it('haproxy -c refuses every broken file we report a parse problem for', async function () {
    const haproxy = requireProgram(this, 'haproxy (Debian package haproxy)', ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy']);
    const failures: string[] = [];
    await withTempDirAsync('scr-haproxy-', async (folder) => {
      for (const [name, text] of Object.entries(BROKEN)) {
        const file = path.join(folder, 'broken.cfg');
        writeFileSync(file, text);
        const ours = await problemsOf(text);
        const real = check(haproxy, file);
        if (!ours.length) failures.push(`${name}: we report no parse problem`);
        if (real.accepted) failures.push(`${name}: haproxy -c accepts it`);
      }
    });
    assert.deepEqual(failures, []);
  });

  it('accepts exactly the files we read without a parse problem, and answers every probe as the model says', async function () {
    const haproxy = requireProgram(this, 'haproxy (Debian package haproxy)', ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy']);
    requireProgram(this, 'openssl (Debian package openssl)', ['/usr/bin/openssl']);
    if (!isRoot) {
      if (process.env.CI === 'true') assert.fail('the HAProxy referee needs root in CI (network namespaces)');
      console.warn('\n  !!! not root: only parse agreement is refereed; no network namespace, no probes\n');
    }
    const rows: Row[] = [];
    await withTempDirAsync('scr-haproxy-', async (folder) => {
      const certificate = path.join(folder, 'cert.pem');
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=referee.invalid', '-days', '2', '-keyout', certificate, '-out', certificate],
        {
          stdio: 'ignore',
        },
      );
      const jobs: Array<Promise<void>> = [];
      let index = 0;
      for (const input of allInputs()) {
        const work = path.join(folder, `input-${index++}`);
        execFileSync('mkdir', ['-p', work]);
        const file = path.join(work, 'haproxy.cfg');
        writeFileSync(file, neutralise(input.text, work, certificate));
        const ours = await problemsOf(input.text);
        const real = check(haproxy, file);
        const row: Row = {
          name: input.name,
          haproxy: real.accepted ? 'accepts' : `refuses (${real.reason})`,
          ours: ours.length ? `parse problems: ${[...new Set(ours)].join(', ')}` : 'no parse problem',
          probes: 0,
          disagreements: [],
        };
        rows.push(row);
        if (real.accepted === ours.length > 0) row.disagreements.push(`haproxy -c ${real.accepted ? 'accepts' : 'refuses'} it, we report ${row.ours}`);
        if (!real.accepted || !isRoot) continue;
        const { plan, expectations } = buildPlan(modelOf(input.text), haproxy, file, work);
        if (!plan.probes.length) continue;
        jobs.push(
          runInside(plan, work).then((answer) => {
            if (typeof answer === 'string') {
              row.disagreements.push(answer);
              return;
            }
            const byId = new Map(answer.results.map((result) => [result.id, result]));
            for (const expectation of expectations) {
              row.probes++;
              byKind.set(expectation.what, (byKind.get(expectation.what) ?? 0) + 1);
              const got = observed(expectation, byId.get(expectation.probe.id));
              if (got !== expectation.expected)
                row.disagreements.push(`${expectation.what} ${expectation.label}: model says ${expectation.expected}, HAProxy: ${got}`);
            }
          }),
        );
        // Two namespaces at a time: the machine's cores are shared.
        if (jobs.length >= 2) await Promise.all(jobs.splice(0));
      }
      await Promise.all(jobs);
    });
    const disagreements = rows.flatMap((row) => row.disagreements.map((line) => `${row.name}: ${line}`));
    console.log('\n  HAProxy referee (haproxy -c and probes in a network namespace)');
    console.log(`    ${'file'.padEnd(84)} ${'haproxy -c'.padEnd(10)} probes  disagreements`);
    for (const row of rows)
      console.log(`    ${row.name.padEnd(84)} ${row.haproxy.split(' ')[0]!.padEnd(10)} ${String(row.probes).padStart(6)}  ${row.disagreements.length}`);
    const kinds = [...byKind].map(([kind, count]) => `${kind} ${count}`).join(', ');
    console.log(
      `    files: ${rows.length}, probes compared: ${rows.reduce((sum, row) => sum + row.probes, 0)} (${kinds}), disagreements: ${disagreements.length}`,
    );
    for (const row of rows.filter((candidate) => !candidate.haproxy.startsWith('accepts')))
      console.log(`    - ${row.name}: haproxy ${row.haproxy}; we: ${row.ours}`);
    for (const line of disagreements) console.log(`    ! ${line}`);
    assert.ok(rows.length > 0, 'no HAProxy files found');
    assert.ok(!isRoot || rows.some((row) => row.probes > 0), 'no probe was sent');
    assert.deepEqual(disagreements, []);
  });
});
