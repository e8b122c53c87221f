import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import type { ParseProblem } from '../../src/core/format';
import { parseNginx } from '../../src/families/web/nginx/syntax';
import { buildConfig, roleOf } from '../../src/families/web/nginx/model';
import { resolveRequest, selectLocation, verdictFor } from '../../src/families/web/nginx/request';
import { nginxConf } from '../../src/families/web/nginx';
import { memoryFiles } from '../support/fixtures';
import { defaultSettings } from '../../src/core/settings';

function configOf(text: string) {
  const source = new SourceText('/etc/nginx/nginx.conf', text);
  const problems: ParseProblem[] = [];
  const tree = parseNginx(source, problems);
  return { config: buildConfig(tree, roleOf(tree), new Map([[source.path, source]]), [], source.path), problems, source };
}

describe('nginx parser', () => {
  it('keeps exact offsets for names and arguments, quotes and escapes', () => {
    const text = 'location ~* "\\.(?:png|jpe?g)$" {\n  add_header X-Note "a \\"quoted\\" value";\n}\n';
    const { problems, source } = configOf(text);
    const [location] = parseNginx(source, []);
    assert.deepEqual(problems, []);
    assert.equal(location!.args[1]!.value, '\\.(?:png|jpe?g)$');
    assert.equal(text.slice(location!.args[1]!.span.start, location!.args[1]!.span.end), '"\\.(?:png|jpe?g)$"');
    assert.equal(location!.block![0]!.args[1]!.value, 'a "quoted" value');
  });

  it('reads ${var} inside a word and # inside a word as nginx does', () => {
    const { source } = configOf('set $x ${host}a#b;\n');
    const [set] = parseNginx(source, []);
    assert.deepEqual(
      set!.args.map((a) => a.value),
      ['$x', '${host}a#b'],
    );
  });

  it('reports a missing semicolon, an unclosed block and a stray brace without throwing', () => {
    assert.equal(configOf('server {\n listen 80\n}\n').problems.length, 1);
    assert.equal(configOf('http {\n server {\n').problems.length, 2);
    assert.equal(configOf('}\n').problems.length, 1);
  });
});

describe('nginx location selection (ngx_http_core_find_location)', () => {
  const { config } = configOf(`server {
    location = /exact { }
    location / { }
    location /wp-admin/ { deny all; }
    location ^~ /static/ { }
    location ~ \\.php$ { }
    location ~* \\.PNG$ { }
    location /nested/ {
        location ~ \\.cgi$ { }
    }
}`);
  const server = config.servers[0]!;
  const pick = (path: string) => {
    const location = selectLocation(server, path);
    return location ? `${location.modifier} ${location.pattern}`.trim() : undefined;
  };
  it('exact, longest prefix, ^~, regex in order, nested regex first', () => {
    assert.equal(pick('/exact'), '= /exact');
    assert.equal(pick('/exact/more'), '/');
    assert.equal(pick('/wp-admin/'), '/wp-admin/');
    assert.equal(pick('/wp-admin/index.php'), '~ \\.php$');
    assert.equal(pick('/static/x.php'), '^~ /static/');
    assert.equal(pick('/img/a.png'), '~* \\.PNG$');
    assert.equal(pick('/nested/a.cgi'), '~ \\.cgi$');
    assert.equal(pick('/nested/a.php'), '~ \\.php$');
  });
  it('access rules: a child with rules of its own does not inherit; satisfy any; return', () => {
    const { config: c } = configOf(`server {
      deny all;
      location /a/ { allow 10.0.0.0/8; }
      location /b/ { }
      location /c/ { satisfy any; allow 10.0.0.0/8; deny all; auth_basic "x"; }
      location /d/ { return 200; }
    }`);
    const s = c.servers[0]!;
    assert.equal(verdictFor(resolveRequest(s, '/a/')), 'served');
    assert.equal(verdictFor(resolveRequest(s, '/b/')), 'forbidden');
    assert.equal(verdictFor(resolveRequest(s, '/c/')), 'authentication');
    assert.equal(verdictFor(resolveRequest(s, '/d/')), 'answered');
  });
});

describe('nginx includes', () => {
  it('resolves globs relative to the configuration folder and analyses a site file inside its nginx.conf', async () => {
    const files = new Map([
      ['/repo/nginx/nginx.conf', 'events {}\nhttp {\n  server_tokens off;\n  include sites-enabled/*;\n}\n'],
      ['/repo/nginx/sites-enabled/a', 'server {\n  listen 80;\n  location /x { alias /srv/x/; }\n}\n'],
    ]);
    const source = new SourceText('/repo/nginx/sites-enabled/a', files.get('/repo/nginx/sites-enabled/a')!);
    const loaded = await nginxConf.load(source, { files: memoryFiles(files), settings: defaultSettings() });
    assert.equal(loaded.model.servers.length, 1);
    assert.equal(loaded.model.http?.owner?.nameSpan.file, '/repo/nginx/nginx.conf');
    assert.equal(loaded.model.servers[0]!.locations[0]!.pattern, '/x');
  });
});
