// Referee: the real nginx (PCRE) judges how we run location regexes on RE2. Each pattern gets a server of its own
// with a catch-all `location /`; every path is requested and the location nginx answers from must be the one
// our model selects. Constructs we translate for RE2 are here (~*, inline flags, named groups, a lookahead that
// ends the pattern, \Z, \Q..\E, POSIX classes); PCRE-only ones are "not evaluated" and are not compared.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import type { ParseProblem } from '../../../src/core/format';
import { parseNginx } from '../../../src/families/web/nginx/syntax';
import { buildConfig, roleOf } from '../../../src/families/web/nginx/model';
import { selectLocation } from '../../../src/families/web/nginx/request';

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate));
const BASE_PORT = 18_700;

/** A location (modifier and pattern as written in the file) and paths to request. */
const CASES: Array<{ location: string; paths: string[] }> = [
  { location: '~* \\.PHP$', paths: ['/a.php', '/a.PHP', '/a.Php', '/a.phpx', '/php'] },
  { location: '~ \\.PHP$', paths: ['/a.php', '/a.PHP'] },
  // `/` + 40 a's + `b` is not here: PCRE gives up at its match limit and nginx answers 500 (the request is served
  // by neither location), where RE2 finds that nothing matches and the model takes `location /`.
  { location: '~ ^/(a+)+$', paths: ['/aaaa', '/aaab', '/', '/aaaaaaaaaaaaaaaaa'] },
  { location: '~ /\\.(?!well-known/)', paths: ['/.git/config', '/.well-known/acme', '/.well-known', '/a/.env', '/a.b'] },
  { location: '~ "/\\.(?!well-known|acme)"', paths: ['/.acme', '/.acm', '/.well-known', '/.env'] },
  { location: '~ ^/x(?=y)', paths: ['/xy', '/xz', '/x'] },
  { location: '~ (?i)^/ADMIN', paths: ['/admin/x', '/ADMIN', '/adm', '/x/admin'] },
  { location: '~ "^/(?i:ab)C"', paths: ['/ABC', '/abC', '/abc'] },
  { location: '~ "^/(?<name>[a-z]+)/$"', paths: ['/abc/', '/ab1/', '/abc/d'] },
  { location: '~ "^/(?P<name>[a-z]+)x"', paths: ['/abx', '/x'] },
  { location: '~ "^/(?\'n\'x)y"', paths: ['/xy', '/xz'] },
  { location: '~ "^/[[:digit:]]+$"', paths: ['/123', '/12a'] },
  { location: '~ "\\.(?:png|jpe?g)$"', paths: ['/a.jpeg', '/a.jpg', '/a.jpgx', '/a.png'] },
  { location: '~ ^/app/.*\\.php$', paths: ['/app/x.php', '/app/x.phpx', '/other/app/x.php', '/app/.php'] },
  { location: '~ "^/x\\Z"', paths: ['/x', '/xy'] },
  { location: '~ "^/a\\Qb.c\\E"', paths: ['/ab.c', '/abxc'] },
  { location: '~ "\\x41"', paths: ['/A', '/a'] },
  { location: '~ "^/\\d{2,3}$"', paths: ['/1', '/12', '/123', '/1234'] },
  { location: '~ "^/a{2}b*?c"', paths: ['/aac', '/aabbc', '/abc'] },
  { location: '~ "\\bword\\b"', paths: ['/a/word/b', '/swordfish', '/word'] },
  { location: '~ "^/\\w+\\s*$"', paths: ['/abc', '/a-c'] },
  { location: '~ "[^/]\\.ht"', paths: ['/x.htaccess', '/.htaccess'] },
  { location: '~ "^/(?!private)"', paths: ['/private/x', '/public/x'] },
];

function get(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describe('referee: real nginx agrees with how location regexes are run on RE2', function () {
  this.timeout(120_000);
  let prefix: string | undefined;
  const args = () => ['-p', prefix!, '-c', `${prefix}/nginx.conf`, '-g', `pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;`];
  after(() => {
    if (!prefix) return;
    spawnSync(NGINX!, [...args(), '-s', 'stop']);
    rmSync(prefix, { recursive: true, force: true });
  });

  it('selects the location nginx selects, for every translated construct', async function () {
    if (!NGINX) {
      if (process.env.CI === 'true') assert.fail('nginx is not installed (CI must install it: apt-get install nginx-light or nginx)');
      this.skip();
    }
    const servers = CASES.map(
      (item, index) =>
        `  server {\n    listen 127.0.0.1:${BASE_PORT + index};\n    location / { return 200 "none"; }\n    location ${item.location} { return 200 "regex"; }\n  }`,
    );
    const text = `events {}\nhttp {\n  access_log off;\n${servers.join('\n')}\n}\n`;
    const source = new SourceText('/referee/regex/nginx.conf', text);
    const problems: ParseProblem[] = [];
    const tree = parseNginx(source, problems);
    const config = buildConfig(tree, roleOf(tree), new Map([[source.path, source]]), [], source.path, problems);
    assert.deepEqual(
      problems.map((p) => text.slice(p.span.start, p.span.end)),
      [],
      'every pattern here is evaluated',
    );
    prefix = mkdtempSync(path.join(tmpdir(), 'scr-nginx-regex-'));
    chmodSync(prefix, 0o755);
    writeFileSync(`${prefix}/nginx.conf`, text);
    const check = spawnSync(NGINX!, [...args(), '-t'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    execFileSync(NGINX!, args());
    for (let wait = 0; wait < 50 && !existsSync(`${prefix}/nginx.pid`); wait++) await new Promise((resolve) => setTimeout(resolve, 50));
    const disagreements: string[] = [];
    let compared = 0;
    for (const [index, item] of CASES.entries()) {
      const server = config.servers[index]!;
      for (const urlPath of item.paths) {
        const selected = selectLocation(server, urlPath);
        const model = selected && selected.modifier !== '' ? 'regex' : 'none';
        const real = await get(BASE_PORT + index, urlPath).catch((error: Error) => `error: ${error.message}`);
        compared++;
        if (real !== model) disagreements.push(`location ${item.location}, ${urlPath}: model ${model}, nginx ${real}`);
      }
    }
    console.log(`      nginx regex referee: ${CASES.length} patterns, ${compared} requests compared, ${disagreements.length} disagreements`);
    assert.deepEqual(disagreements, []);
  });
});
