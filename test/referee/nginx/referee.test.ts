// Referee: the real nginx judges our request-path model. Each fixture or corpus file nginx accepts (once its
// servers listen on loopback ports) is started under a temporary prefix, and every probe path is requested
// with X-Forwarded-For set to a stranger (203.0.113.7, trusted from 127.0.0.1 only) and, where the location
// has an allow-list, once more from an address inside it; each status must match the model's verdict for
// that address. Files we report parse problems for must also be refused by `nginx -t`.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { defaultSettings } from '../../../src/core/settings';
import { nginxConf } from '../../../src/families/web/nginx';
import type { NginxConfig, NginxServer } from '../../../src/families/web/nginx/model';
import { answerCode, resolveRequest, verdictFor } from '../../../src/families/web/nginx/request';
import { ADMIN_APPS } from '../../../src/families/web/checks/paths';
import { SENSITIVE_PROBES } from '../../../src/families/web/checks/sensitive-files-not-denied';
import { memoryFiles, parseAnnotated } from '../../support/fixtures';
import { formatAddress, parseRange } from '../../../src/net';

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate));
const ROOT = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus/nginx');
const BASE_PORT = 18_400;
/** A documentation address (RFC 5737) standing for any client on the internet. */
const STRANGER = '203.0.113.7';

function inputs(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const full = path.join(folder, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === 'nginx.conf') out.push({ name: path.relative(ROOT, full), text: parseAnnotated(readFileSync(full, 'utf8')).text });
    }
  };
  for (const family of ['nginx', 'web']) walk(path.join(ROOT, 'test-fixtures', family));
  if (existsSync(CORPUS))
    for (const entry of readdirSync(CORPUS)) out.push({ name: `corpus/nginx/${entry}`, text: readFileSync(path.join(CORPUS, entry), 'utf8') });
  return out;
}

/** The servers' contents with every listen replaced by one loopback port per server, wrapped into a whole config. */
function rewrite(config: NginxConfig, source: SourceText, ports: Map<NginxServer, number>): string | undefined {
  const text = source.text;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const [server, port] of ports) {
    const listens = server.listens.map((listen) => listen.directive);
    listens.forEach((listen, index) => edits.push({ start: listen.span.start, end: listen.span.end, text: index === 0 ? `listen 127.0.0.1:${port};` : '' }));
    if (!listens.length && server.owner?.blockOpen !== undefined)
      edits.push({ start: server.owner.blockOpen, end: server.owner.blockOpen, text: `\nlisten 127.0.0.1:${port};` });
  }
  let body = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) body = body.slice(0, edit.start) + edit.text + body.slice(edit.end);
  const http = config.http?.owner;
  if (http?.blockOpen !== undefined && http.blockClose !== undefined) {
    const shift = edits.filter((e) => e.start < http.blockOpen!).reduce((d, e) => d + e.text.length - (e.end - e.start), 0);
    const inner = edits.filter((e) => e.start >= http.blockOpen! && e.start < http.blockClose!).reduce((d, e) => d + e.text.length - (e.end - e.start), 0);
    body = body.slice(http.blockOpen + shift, http.blockClose + shift + inner);
  }
  const implied = config.servers.find((server) => server.implied);
  if (implied) body = `server {\nlisten 127.0.0.1:${ports.get(implied)};\n${body}\n}`;
  const realIp = /real_ip_header/.test(body) ? '' : 'real_ip_header X-Forwarded-For;\n';
  return `events {}\nhttp {\naccess_log off;\nset_real_ip_from 127.0.0.1;\n${realIp}${body}\n}\n`;
}

function get(port: number, urlPath: string, forwardedFor: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers: { 'X-Forwarded-For': forwardedFor }, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

function readLog(prefix: string): string {
  try {
    return readFileSync(`${prefix}/error.log`, 'utf8');
  } catch {
    return '';
  }
}

function expectedMatches(verdict: string, answer: number | undefined, status: number): boolean {
  if (verdict === 'forbidden') return status === 403;
  if (verdict === 'authentication') return status === 401;
  if (verdict === 'internal') return status === 404;
  if (verdict === 'answered') return status === answer;
  return status !== 401 && status !== 403;
}

describe('referee: real nginx agrees with the request-path model', function () {
  this.timeout(120_000);
  const started: string[] = [];
  after(() => {
    for (const prefix of started) {
      spawnSync(NGINX!, ['-p', prefix, '-c', `${prefix}/nginx.conf`, '-g', `pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;`, '-s', 'stop']);
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  it('serves exactly what the model says, and refuses what we call unreadable', async function () {
    if (!NGINX) {
      if (process.env.CI === 'true') assert.fail('nginx is not installed (CI must install it: apt-get install nginx-light or nginx)');
      this.skip();
    }
    const disagreements: string[] = [];
    let compared = 0;
    let comparedInside = 0;
    const accepted: string[] = [];
    let port = BASE_PORT;
    for (const input of inputs()) {
      const source = new SourceText(`/referee/${input.name}`, input.text);
      const loaded = await nginxConf.load(source, { files: memoryFiles(new Map()), settings: defaultSettings() });
      const config = loaded.model;
      const ports = new Map(config.servers.map((server) => [server, port++] as const));
      const text = rewrite(config, source, ports);
      if (!text) continue;
      const prefix = mkdtempSync(path.join(tmpdir(), 'scr-nginx-'));
      chmodSync(prefix, 0o755); // workers run as an unprivileged user and must reach the default root
      writeFileSync(`${prefix}/nginx.conf`, text);
      const args = ['-p', prefix, '-c', `${prefix}/nginx.conf`, '-g', `pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;`];
      const test = spawnSync(NGINX!, [...args, '-t'], { encoding: 'utf8' });
      if (test.status !== 0) {
        rmSync(prefix, { recursive: true, force: true });
        continue; // includes or upstream hosts that only exist on the author's server
      }
      accepted.push(input.name);
      // Notes (information: a regex not evaluated) are not problems nginx would refuse.
      if (loaded.problems.some((problem) => problem.severity !== 'info')) disagreements.push(`${input.name}: we report parse problems, nginx -t accepts it`);
      execFileSync(NGINX!, args);
      started.push(prefix);
      for (let wait = 0; wait < 50 && !existsSync(`${prefix}/nginx.pid`); wait++) await new Promise((r) => setTimeout(r, 50));
      for (const [server, serverPort] of ports) {
        const probes = new Set([
          ...ADMIN_APPS.flatMap((app) => app.probes),
          ...SENSITIVE_PROBES,
          ...server.locations.filter((l) => l.modifier === '' || l.modifier === '=' || l.modifier === '^~').map((l) => l.pattern),
        ]);
        for (const probe of probes) {
          if (!probe.startsWith('/')) continue;
          const outcome = resolveRequest(server, probe);
          // The first address the allow-list admits, when it is narrower than "all".
          const inside = outcome.rules.find((rule) => rule.allow && !rule.everyone && !rule.set.isEmpty())?.set.intervals[0]?.start;
          const clients = [STRANGER, ...(inside === undefined ? [] : [formatAddress(inside)])];
          for (const client of clients) {
            const verdict = verdictFor(outcome, parseRange(client)!.range.start);
            const logBefore = readLog(prefix).length;
            let status = await get(serverPort, probe, client).catch(() => -1);
            // A 403 is the access phase's only when nginx logs it as such (a 403 for an unreadable file is not).
            if (status === 403 && !readLog(prefix).slice(logBefore).includes('access forbidden by rule')) status = 200;
            compared++;
            if (client !== STRANGER) comparedInside++;
            if (!expectedMatches(verdict, outcome.answeredBy ? answerCode(outcome.answeredBy) : undefined, status))
              disagreements.push(`${input.name} :${serverPort}${probe} from ${client}: model says ${verdict}, nginx answered ${status}`);
          }
        }
      }
    }
    console.log(
      `      nginx referee: ${accepted.length} files started, ${compared} requests compared (${comparedInside} from inside an allow-list), ${disagreements.length} disagreements`,
    );
    if (process.env.REFEREE_VERBOSE) console.log(`  ${accepted.join('\n  ')}`);
    assert.ok(compared > 0, 'no file was accepted by nginx -t');
    assert.deepEqual(disagreements, []);
  });

  it('nginx -t refuses a file we report parse problems for', async function () {
    if (!NGINX) {
      if (process.env.CI === 'true') assert.fail('nginx is not installed (CI must install it)');
      this.skip();
    }
    const prefix = mkdtempSync(path.join(tmpdir(), 'scr-nginx-'));
    try {
      const text = 'events {}\nhttp {\n  server {\n    listen 127.0.0.1:18399\n  }\n}\n';
      const loaded = await nginxConf.load(new SourceText('/x/nginx.conf', text), { files: memoryFiles(new Map()), settings: defaultSettings() });
      writeFileSync(`${prefix}/nginx.conf`, text);
      const test = spawnSync(NGINX!, ['-p', prefix, '-c', `${prefix}/nginx.conf`, '-g', `pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;`, '-t'], {
        encoding: 'utf8',
      });
      assert.ok(loaded.problems.length > 0);
      assert.notEqual(test.status, 0);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });
});
