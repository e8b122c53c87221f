// The configurations the Dovecot referee judges: every fixture tree under test-fixtures/dovecot (a folder with
// a dovecot.conf and the conf.d folders below it), the same trees with their golden files, Debian's packaged
// configuration (the corpus files placed into the conf.d tree of the installed package, same version), this
// machine's /etc/dovecot, and that tree with the mistakes the rules look for planted in it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type TreeCase, fixtureTrees, removeTree, walkTree, writeTree } from '../support/trees';

export const ROOT = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(ROOT, 'test-fixtures/dovecot');
export const CORPUS = path.resolve(ROOT, '../shared/corpus/other');
/** Debian's dovecot-core ships its conf.d templates here (the corpus files come from the same package). */
export const PACKAGED_CONF_D = '/usr/share/dovecot/conf.d';

/** A tree whose root file is dovecot.conf; a planted syntax case is `refused` when doveconf must refuse it. */
export type DovecotCase = TreeCase<'fixture' | 'golden' | 'corpus' | 'installed' | 'mutated' | 'syntax' | 'fixed'>;

export function fixtureCases(): DovecotCase[] {
  return fixtureTrees(FIXTURES, 'dovecot.conf');
}

/** Debian's default tree: the corpus dovecot.conf, 10-auth.conf and 10-ssl.conf among the package's other conf.d files. */
export function corpusCases(): DovecotCase[] {
  if (!existsSync(path.join(CORPUS, 'debian-dovecot.conf')) || !existsSync(PACKAGED_CONF_D)) return [];
  const files = new Map<string, string>([['dovecot.conf', readFileSync(path.join(CORPUS, 'debian-dovecot.conf'), 'utf8')]]);
  for (const entry of readdirSync(PACKAGED_CONF_D).sort()) files.set(`conf.d/${entry}`, readFileSync(path.join(PACKAGED_CONF_D, entry), 'utf8'));
  files.set('conf.d/10-auth.conf', readFileSync(path.join(CORPUS, 'debian-dovecot-10-auth.conf'), 'utf8'));
  files.set('conf.d/10-ssl.conf', readFileSync(path.join(CORPUS, 'debian-dovecot-10-ssl.conf'), 'utf8'));
  const out: DovecotCase[] = [{ name: 'corpus:debian-dovecot (with the package conf.d)', kind: 'corpus', files }];
  if (existsSync('/etc/dovecot/dovecot.conf')) {
    const installed = new Map(
      walkTree('/etc/dovecot', 'dovecot.conf')
        .filter(([relative]) => !relative.startsWith('private/'))
        .map(([relative, full]) => [relative, readFileSync(full, 'utf8')]),
    );
    out.push({ name: 'installed:/etc/dovecot', kind: 'installed', files: installed });
  }
  return out;
}

/** The rules' mistakes planted in Debian's tree: in conf.d/10-auth.conf, in a filter, and globally. */
export function mutatedCases(base: DovecotCase): DovecotCase[] {
  const plant = (name: string, file: string, text: string): DovecotCase => {
    const files = new Map(base.files);
    files.set(file, `${(files.get(file) ?? '').replace(/\n?$/, '\n')}${text}`);
    return { name: `mutated:${name}`, kind: 'mutated', files };
  };
  return [
    plant(
      'clear text and 172.0.0.0/8',
      'conf.d/10-auth.conf',
      'disable_plaintext_auth = no\nlogin_trusted_networks = 10.1.0.0/16 172.0.0.0/8\nauth_failure_delay = 0\n',
    ),
    plant(
      'ssl = no, POP3 clear text',
      'conf.d/10-ssl.conf',
      'ssl = no\nprotocol pop3 {\n  disable_plaintext_auth = no\n}\nremote 203.0.113.0/24 {\n  ssl = required\n}\n',
    ),
  ];
}

/**
 * Syntax planted at the end of Debian's conf.d/10-auth.conf: lines both readers must refuse (the errors our
 * parser reports) and lines both must accept (quotes, comments, continuations, variables, old names).
 */
export function syntaxCases(base: DovecotCase): DovecotCase[] {
  const plant = (name: string, text: string, refused: boolean): DovecotCase => {
    const files = new Map(base.files);
    files.set('conf.d/10-auth.conf', `${(files.get('conf.d/10-auth.conf') ?? '').replace(/\n?$/, '\n')}${text}`);
    return { name: `syntax:${name}`, kind: 'syntax', files, refused };
  };
  return [
    plant('auth setting in a remote section', 'remote 10.0.0.0/8 {\n  auth_failure_delay = 0\n}\n', true),
    plant('protocol inside protocol', 'protocol imap {\n  protocol pop3 {\n  }\n}\n', true),
    plant('remote inside protocol', 'protocol imap {\n  remote 10.0.0.0/8 {\n  }\n}\n', true),
    plant('nested remote outside its parent', 'remote 10.0.0.0/8 {\n  remote 192.168.0.0/16 {\n  }\n}\n', true),
    plant('boolean that is not one', 'disable_plaintext_auth = maybe\n', true),
    plant('time without a unit', 'auth_failure_delay = 5\n', true),
    plant('ssl value', 'ssl = sometimes\n', true),
    plant('section never closed', 'service imap-login {\n  process_min_avail = 1\n', true),
    plant('closing brace without a section', '}\n', true),
    plant('word without = or {', 'disable_plaintext_auth no\n', true),
    plant('text after {', 'protocol imap { disable_plaintext_auth = no\n', true),
    plant('= without a name', '= yes\n', true),
    plant('comment line inside a continuation', 'auth_mechanisms = plain \\\n# the collected line is dropped here\n   login\n', true),
    plant(
      'quotes, comments and a continuation',
      'auth_mechanisms = plain \\\n   login\nlogin_trusted_networks = "127.0.0.1 # not a comment" # a comment\nauth_failure_delay = 3 secs#ambiguous comment\n',
      false,
    ),
    plant('variables', 'auth_mechanisms = $auth_mechanisms login\nprotocol pop3 {\n  auth_mechanisms = $auth_mechanisms cram-md5\n}\n', false),
    plant('old ssl_disable', 'ssl_disable = yes\n', false),
    plant('y and 1 as booleans, quoted names', 'disable_plaintext_auth = y\nremote "192.168.0.0/16" {\n  disable_plaintext_auth = 1\n}\n', false),
    plant(
      'filters written twice and nested',
      'remote 10.0.0.0/8 {\n  ssl = required\n}\nremote 10.0.0.0/8 {\n  protocol imap {\n    disable_plaintext_auth = no\n  }\n}\nprotocol imap {\n  ssl = required\n}\n',
      false,
    ),
  ];
}

/** Writes a case into a fresh folder below /tmp, laid out as /etc/dovecot is (…/dovecot/conf.d); the caller removes it. */
export function writeCase(referee: DovecotCase): string {
  return writeTree(referee.files, 'dovecot', 'scr-dovecot-referee-');
}

export { removeTree as removeCase };
