import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import { apacheConf } from '../../src/families/web/apache';
import { accessFor } from '../../src/families/web/apache/access';
import { defaultSettings } from '../../src/core/settings';
import { memoryFiles } from '../support/fixtures';

async function load(files: Record<string, string>, path: string) {
  const source = new SourceText(path, files[path]!);
  return (await apacheConf.load(source, { files: memoryFiles(new Map(Object.entries(files))), settings: defaultSettings() })).model;
}

describe('Apache access model', () => {
  it('merges Directory (shortest first) then Location; Alias maps the URL; the last section with access rules decides', async () => {
    const config = await load(
      {
        '/etc/apache2/apache2.conf':
          '<Directory />\n  Require all denied\n</Directory>\n<Directory /usr/share>\n  Require all granted\n</Directory>\nIncludeOptional sites-enabled/*.conf\n',
        '/etc/apache2/sites-enabled/a.conf':
          '<VirtualHost *:80>\n  Alias /pma /usr/share/phpmyadmin\n  <Location /pma/setup>\n    Require ip 10.0.0.0/8\n  </Location>\n</VirtualHost>\n',
      },
      '/etc/apache2/apache2.conf',
    );
    const vhost = config.vhosts[0]!;
    assert.equal(accessFor(config, vhost, '/pma/index.php').verdict, 'granted');
    assert.equal(accessFor(config, vhost, '/pma/setup/index.php').verdict, 'restricted');
    assert.equal(accessFor(config, vhost, '/other').verdict, 'unknown');
  });

  it('reads 2.2 Order/Allow/Deny and skips <IfModule !mod>', async () => {
    const config = await load(
      {
        '/x/httpd.conf':
          '<Directory /a>\n  Order deny,allow\n  Deny from all\n  Allow from 10.0.0.0/8\n</Directory>\n<IfModule !mod_authz_core.c>\n  <Directory /b>\n    Order allow,deny\n    Allow from all\n  </Directory>\n</IfModule>\nDocumentRoot /a\n',
      },
      '/x/httpd.conf',
    );
    assert.equal(accessFor(config, config.global, '/x').verdict, 'restricted');
    assert.equal([...config.allSections()].length, 1);
  });

  it('reports unbalanced sections as problems', async () => {
    const source = new SourceText('/x/httpd.conf', '<VirtualHost *:80>\n</Directory>\n');
    const loaded = await apacheConf.load(source, { files: memoryFiles(new Map()), settings: defaultSettings() });
    assert.equal(loaded.problems.length, 2);
  });
});
