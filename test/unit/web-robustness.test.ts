// The web family on hostile input (issue 11): every case below hung, overflowed the stack or threw before it
// was fixed. Sizes are those that did; the generous timeout is the only clock (a regression fails by timing out).
import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import type { ParseProblem } from '../../src/core/format';
import type { Finding } from '../../src/core/types';
import { engine } from '../../src/product';
import { defaultSettings } from '../../src/core/settings';
import { compileFnmatch, compileGlob } from '../../src/core/glob';
import { detectFormatIn } from '../../src/core/detect';
import { parseApache, MAX_SECTION_DEPTH } from '../../src/families/web/apache/syntax';
import { apacheConf } from '../../src/families/web/apache';
import { accessFor } from '../../src/families/web/apache/access';
import { nginxConf } from '../../src/families/web/nginx';
import { parseNginx, MAX_BLOCK_DEPTH } from '../../src/families/web/nginx/syntax';
import { buildConfig, roleOf } from '../../src/families/web/nginx/model';
import { MAX_INCLUDED_FILES } from '../../src/families/web/nginx/load';
import { resolveRequest, selectLocation, verdictFor } from '../../src/families/web/nginx/request';
import { compileUserRegex } from '../../src/families/web/regex';
import { parseRange } from '../../src/net';
import { memoryFiles } from '../support/fixtures';

const none = memoryFiles(new Map());
const lint = (path: string, text: string, files = none) => engine.lintFile(path, text, { files });
const internalErrors = (findings: Finding[]) => findings.filter((f) => /internal error/.test(f.message.en));
const parseProblems = (findings: Finding[]) => findings.filter((f) => f.ruleId === 'config/parse-problem');

function nginxConfig(text: string) {
  const source = new SourceText('/etc/nginx/nginx.conf', text);
  const problems: ParseProblem[] = [];
  const tree = parseNginx(source, problems);
  return { config: buildConfig(tree, roleOf(tree), new Map([[source.path, source]]), [], source.path, problems), problems };
}

async function apacheModel(files: Record<string, string>, path: string) {
  const source = new SourceText(path, files[path]!);
  return apacheConf.load(source, { files: memoryFiles(new Map(Object.entries(files))), settings: defaultSettings() });
}

describe('web family: hostile input stays bounded', function () {
  this.timeout(120_000);

  describe('Apache syntax', () => {
    it('splits arguments on the spaces httpd knows, and never loops on other whitespace (U+00A0, \\f, \\v, U+2028)', async () => {
      for (const space of ['\u00a0', '\f', '\v', '\u2028', '\u3000', '\u0085', '\u200b']) {
        const text = `ServerName${space}example.com\nServerTokens${space}Full\nServerTokens Full\n`;
        const result = await lint('/etc/apache2/apache2.conf', text);
        assert.deepEqual(internalErrors(result.findings), []);
        const [first] = parseApache(new SourceText('/x/httpd.conf', text), []);
        if (space === '\f' || space === '\v') {
          // apr_isspace: form feed and vertical tab separate words, as spaces do.
          assert.equal(first!.name, 'ServerName');
          assert.deepEqual(
            first!.args.map((a) => a.value),
            ['example.com'],
          );
        } else assert.equal(first!.name, `ServerName${space}example.com`, 'not a space to httpd: one word');
        // The rest of the file is still checked.
        assert.ok(result.findings.some((f) => f.ruleId === 'web/server-version-disclosure'));
      }
    });

    it('reports a `<>` line as a problem and still checks the rest', async () => {
      const result = await lint('/etc/apache2/apache2.conf', '<>\n< >\n<>x</>\nServerTokens Full\n');
      assert.deepEqual(internalErrors(result.findings), []);
      assert.ok(parseProblems(result.findings).some((f) => /needs a name/.test(f.message.en)));
      assert.ok(result.findings.some((f) => f.ruleId === 'web/server-version-disclosure'));
    });

    it('matches a <Directory> wildcard with an unclosed `[` as a literal character, without a regular expression', async () => {
      const text = [
        'DocumentRoot /var/www[',
        'Alias /w /var/wwwa',
        'Alias /s /srv/site/bx',
        'Alias /d /srv/a/b/bx',
        '<Directory /var/www[>',
        '  Require all denied',
        '</Directory>',
        '<Directory /srv/*/[a-c]x>',
        '  Require all denied',
        '</Directory>',
        '',
      ].join('\n');
      const config = (await apacheModel({ '/x/httpd.conf': text }, '/x/httpd.conf')).model;
      assert.equal(config.global.sections[0]!.pattern, '/var/www[');
      assert.equal(accessFor(config, config.global, '/index.html').verdict, 'denied');
      assert.equal(accessFor(config, config.global, '/w/index.html').verdict, 'unknown');
      assert.equal(accessFor(config, config.global, '/s/index.html').verdict, 'denied');
      assert.equal(accessFor(config, config.global, '/d/index.html').verdict, 'unknown', '`*` does not cross a slash');
    });

    it('reads Alias paths and closing tags made of long runs of slashes, spaces and `>` in linear time', async () => {
      const slashes = '/'.repeat(200_000);
      const text = `<VirtualHost *:80>\nDocumentRoot /var/www\nAlias /phpmyadmin${slashes}\u0000x /usr/share/phpmyadmin${slashes}\u0000\n</VirtualHost${' '.repeat(200_000)}>\n</${'>'.repeat(200_000)}\\\n>\nServerTokens Full\n`;
      const result = await lint('/etc/apache2/apache2.conf', text);
      assert.deepEqual(internalErrors(result.findings), []);
      assert.ok(result.findings.some((f) => f.ruleId === 'web/server-version-disclosure'));
    });

    it('bounds section nesting (20,000 levels) with one problem naming the limit, and checks the rest', async () => {
      const depth = 20_000;
      const text = `${'<IfModule mod_x.c>\n'.repeat(depth)}ServerTokens Full\n${'</IfModule>\n'.repeat(depth)}ServerSignature On\n`;
      const result = await lint('/etc/apache2/apache2.conf', text);
      assert.deepEqual(internalErrors(result.findings), []);
      const deep = parseProblems(result.findings).filter((f) => f.message.en.includes(String(MAX_SECTION_DEPTH)));
      assert.equal(deep.length, 1);
      assert.ok(result.findings.some((f) => f.ruleId === 'web/server-version-disclosure' && f.range.start.line === 2 * depth + 1));
    });

    it('runs <DirectoryMatch> and <LocationMatch> on a linear-time engine; PCRE-only patterns are noted, not run', async () => {
      const text = [
        'DocumentRoot /var/www',
        `<DirectoryMatch "^/var/www/(a+)+$">`,
        '  Require all denied',
        '</DirectoryMatch>',
        '<LocationMatch "^/(?!public)">',
        '  Require all denied',
        '</LocationMatch>',
        '<LocationMatch "^/(x)\\1">',
        '  Require all denied',
        '</LocationMatch>',
        `<FilesMatch "${'a'.repeat(52_000)}">`,
        '  Require all denied',
        '</FilesMatch>',
        '',
      ].join('\n');
      const loaded = await apacheModel({ '/x/httpd.conf': text }, '/x/httpd.conf');
      const config = loaded.model;
      // The DirectoryMatch that backtracked for 15.8 s: no match, then a match, on RE2.
      assert.equal(accessFor(config, config.global, `/public/${'a'.repeat(40)}!`).verdict, 'unknown');
      assert.equal(accessFor(config, config.global, `/public/../${'a'.repeat(40)}`).verdict, 'unknown');
      assert.equal(accessFor(config, config.global, `/${'a'.repeat(40)}`).verdict, 'denied');
      const notes = loaded.problems.filter((p) => p.severity === 'info');
      assert.deepEqual(
        notes.map((p) => (p.message.data!['reason'] as { text: string }).text),
        ['web.regex.feature.backreference', 'web.regex.too-long'],
      );
      // `^/(?!public)` is a lookahead that ends the pattern: written out for RE2, and evaluated.
      assert.equal(accessFor(config, config.global, '/private').verdict, 'denied');
      assert.equal(accessFor(config, config.global, '/public').verdict, 'unknown');
    });
  });

  describe('nginx', () => {
    it('detects content in linear time (the old block test backtracked for 26 s on 1 KB)', () => {
      const inputs = [
        `location${' \n'.repeat(50_000)}x`,
        `upstream ${'{'.repeat(100_000)}x`,
        `server${' '.repeat(100_000)}x`,
        `location ${' \t'.repeat(50_000)};`,
        `a${' \t'.repeat(50_000)}{x`,
      ];
      for (const text of inputs) {
        assert.equal(nginxConf.detectByContent!(text), false);
        assert.equal(detectFormatIn([nginxConf], '/srv/notes/file.txt', text), undefined);
      }
      assert.equal(nginxConf.detectByContent!('server {\n  listen 80;\n  root /srv;\n}\n'), true);
      assert.equal(nginxConf.detectByContent!('upstream app {\n  server 127.0.0.1:8080;\n}\n'), true);
    });

    it('bounds block nesting (10,000 levels) with one problem naming the limit, and checks the rest', async () => {
      const depth = 10_000;
      const text = `http {\n server {\n  listen 80;\n${'location /a {\n'.repeat(depth)}autoindex on;\n${'}\n'.repeat(depth)} }\n server_tokens on;\n}\n`;
      const result = await lint('/etc/nginx/nginx.conf', text);
      assert.deepEqual(internalErrors(result.findings), []);
      const deep = parseProblems(result.findings).filter((f) => f.message.en.includes(String(MAX_BLOCK_DEPTH)));
      assert.equal(deep.length, 1);
      assert.ok(result.findings.some((f) => f.ruleId === 'web/server-version-disclosure'));
    });

    it('keeps nesting up to the limit, walked without recursion', () => {
      const { config, problems } = nginxConfig(`server {\n${'location /a {\n'.repeat(MAX_BLOCK_DEPTH - 2)}deny all;\n${'}\n'.repeat(MAX_BLOCK_DEPTH - 2)}}\n`);
      assert.deepEqual(problems, []);
      // main, the implied http, the server and its locations.
      assert.equal(config.contexts().length, MAX_BLOCK_DEPTH + 1);
      assert.equal(verdictFor(resolveRequest(config.servers[0]!, '/a/b')), 'forbidden');
    });

    it('stops include fan-out at a budget of files, reported on the include line that leads there', async () => {
      // Ten files that each include all ten: without a budget, 10^12 reads.
      const files = new Map<string, string>();
      for (let i = 0; i < 10; i++) files.set(`/etc/nginx/conf.d/f${i}.conf`, `# file ${i}\ninclude /etc/nginx/conf.d/*.conf;\n`);
      const main = 'events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n    server_tokens off;\n}\n';
      files.set('/etc/nginx/nginx.conf', main);
      const result = await lint('/etc/nginx/nginx.conf', main, memoryFiles(files));
      assert.deepEqual(internalErrors(result.findings), []);
      const budget = parseProblems(result.findings).filter((f) => f.message.en.includes(String(MAX_INCLUDED_FILES)));
      assert.equal(budget.length, 1);
      assert.equal(budget[0]!.range.start.line, 2);
    });

    it('reads 100,000 allow lines in one block in linear time', async () => {
      // Few distinct ranges (each is parsed once): what is measured is the block's own work.
      const lines = Array.from({ length: 100_000 }, (_, i) => `            allow 10.0.${i & 255}.0/24;`);
      const text = `events {}\nhttp {\n    server_tokens off;\n    server {\n        listen 80;\n        location /admin/ {\n${lines.join('\n')}\n            deny all;\n        }\n    }\n}\n`;
      const result = await lint('/etc/nginx/nginx.conf', text);
      assert.deepEqual(internalErrors(result.findings), []);
      assert.ok(!result.findings.some((f) => f.ruleId === 'nginx/allow-without-deny'));
      const { config } = nginxConfig(text);
      assert.equal(verdictFor(resolveRequest(config.servers[0]!, '/admin/x')), 'forbidden');
      assert.equal(verdictFor(resolveRequest(config.servers[0]!, '/admin/x'), parseRange('10.0.0.5')!.written), 'served');
    });

    it('runs location regexes on a linear-time engine: ~ ^/(a+)+$ beside a protected prefix', async () => {
      const long = `/${'a'.repeat(5000)}`;
      const text = `events {}\nhttp {\n    server_tokens off;\n    server {\n        listen 80;\n        location ${long} { deny all; }\n        location ~ ^/(a+)+$ { }\n        location ~* \\.PHP$ { }\n    }\n}\n`;
      const result = await lint('/etc/nginx/nginx.conf', text);
      assert.deepEqual(internalErrors(result.findings), []);
      const { config } = nginxConfig(text);
      const server = config.servers[0]!;
      assert.equal(selectLocation(server, `${long}!`)?.pattern, long);
      assert.equal(selectLocation(server, long)?.pattern, '^/(a+)+$');
      assert.equal(selectLocation(server, '/x/INDEX.php')?.pattern, '\\.PHP$', '~* is caseless');
    });

    it('notes PCRE-only location patterns (in both languages) instead of running them, and never throws on 52 KB', () => {
      const patterns = ['^/(a)\\1', '(?<=x)y', 'a++', '(?>a)', 'a\\Kb', '(?R)', '(?(1)a|b)', '(*SKIP)a', 'a'.repeat(52_000), '(?x) a # comment'];
      const text = `server {\n${patterns.map((p) => `    location ~ "${p}" { }`).join('\n')}\n}\n`;
      const { config, problems } = nginxConfig(text);
      assert.equal(problems.length, patterns.length);
      for (const problem of problems) {
        assert.equal(problem.severity, 'info');
        assert.equal(problem.message.text, 'web.nginx.regex-not-evaluated');
      }
      assert.ok(config.servers[0]!.locations.every((location) => location.regex === null));
      for (const key of ['web.nginx.regex-not-evaluated', 'web.regex.feature.lookaround', 'web.regex.too-long']) assert.ok(engine.catalogue.hasText(key), key);
    });

    it('translates what PCRE and RE2 write differently', () => {
      const matches = (pattern: string, subject: string, caseless = false) => compileUserRegex(pattern, caseless).regex?.test(subject);
      assert.equal(matches('/\\.(?!well-known/)', '/.git/config'), true);
      assert.equal(matches('/\\.(?!well-known/)', '/.well-known/acme-challenge/x'), false);
      assert.equal(matches("^/(?'app'[a-z]+)/", '/shop/'), true);
      assert.equal(matches('(?i)^/ADMIN/', '/admin/x'), true);
      assert.equal(matches('^/x\\Z', '/x'), true);
      assert.equal(matches('\\h', '\u00a0'), true);
      assert.equal(matches('a{,2}', 'a{,2}'), true, 'PCRE reads {,2} as text');
      assert.equal(matches('\\.php$', '/A.PHP', true), true);
      assert.equal(matches('^/app/', '/other/app/'), false);
    });
  });

  describe('globs', () => {
    it('match fileAssociations patterns in linear time, whatever the repetition of **/ and *', () => {
      const path = `/${'a/'.repeat(1000)}b`;
      assert.equal(compileGlob(`${'**/'.repeat(100)}c`).test(path), false);
      assert.equal(compileGlob(`${'*'.repeat(2000)}c`).test('a'.repeat(5000)), false);
      assert.equal(compileGlob(`${'**/a/'.repeat(100)}x`).test(path), false);
      assert.equal(compileGlob('**/b').test(path), true);
    });

    it('keep the fileAssociations semantics: ** crosses folders, * and ? stay in one, {a,b} alternates, the rest is literal', () => {
      const cases: Array<[string, string, boolean]> = [
        ['nginx.conf', '/etc/nginx/nginx.conf', true],
        ['nginx.conf', '/etc/nginx/xnginx.conf', false],
        ['*.conf', '/etc/nginx/conf.d/a.conf', true],
        ['sites/*.conf', '/srv/sites/a.conf', true],
        ['sites/*.conf', '/srv/sites/x/a.conf', false],
        ['sites/**/*.conf', '/srv/sites/x/y/a.conf', true],
        ['sites/**/*.conf', '/srv/sites/a.conf', true],
        ['**/deploy/*.yml', 'deploy/app.yml', true],
        ['/etc/nginx/**', '/etc/nginx/a/b', true],
        ['*.{yml,yaml}', '/k8s/app.yaml', true],
        ['*.{yml,yaml}', '/k8s/app.json', false],
        ['file?.txt', '/x/file1.txt', true],
        ['file?.txt', '/x/file/.txt', false],
        ['[ab].conf', '/x/[ab].conf', true],
        ['[ab].conf', '/x/a.conf', false],
        ['C:\\conf\\*.cfg', 'C:/conf/x.cfg', true],
      ];
      for (const [glob, path, expected] of cases) assert.equal(compileGlob(glob).test(path), expected, `${glob} ~ ${path}`);
    });

    it('fnmatch: classes, negation, escapes, FNM_PATHNAME, an unclosed [ is literal', () => {
      const cases: Array<[string, string, boolean, boolean]> = [
        ['*.conf', 'a.conf', true, true],
        ['*.conf', 'a/b.conf', true, false],
        ['*.conf', 'a/b.conf', false, true],
        ['[a-c]x', 'bx', true, true],
        ['[!a-c]x', 'bx', true, false],
        ['[^a-c]x', 'dx', true, true],
        ['[]]x', ']x', true, true],
        ['/var/www[', '/var/www[', true, true],
        ['\\*', '*', true, true],
        ['\\*', 'a', true, false],
        ['a?c', 'a/c', true, false],
      ];
      for (const [pattern, text, pathname, expected] of cases) assert.equal(compileFnmatch(pattern, { pathname }).test(text), expected, `${pattern} ~ ${text}`);
      assert.equal(compileFnmatch('*a'.repeat(300) + 'b', { pathname: true }).test('a'.repeat(3000)), false);
    });
  });
});
