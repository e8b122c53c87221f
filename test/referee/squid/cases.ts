// The configurations the Squid referee judges: every fixture tree under test-fixtures/squid (a folder with a
// squid.conf and the folders below it), the same trees with their golden files, the corpus files (Debian's
// squid.conf with its conf.d/debian.conf, and a squid.conf from GitHub), and syntax planted into Debian's file.
// Each case is written to its own folder laid out as /etc/squid, and every `/etc/squid/` path in it points
// there instead (Squid would otherwise read this machine's /etc/squid).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type TreeCase, fixtureTrees, removeTree, writeTree } from '../support/trees';

export const ROOT = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(ROOT, 'test-fixtures/squid');
export const CORPUS = path.resolve(ROOT, '../shared/corpus/other');

/** A tree whose root file is squid.conf; a planted syntax case is `refused` when Squid must refuse it. */
export type SquidCase = TreeCase<'fixture' | 'golden' | 'corpus' | 'syntax' | 'fixed'>;

export function fixtureCases(): SquidCase[] {
  return fixtureTrees(FIXTURES, 'squid.conf');
}

export function corpusCases(): SquidCase[] {
  const out: SquidCase[] = [];
  const debian = path.join(CORPUS, 'debian-squid.conf');
  if (existsSync(debian))
    out.push({
      name: 'corpus:debian-squid.conf (with conf.d/debian.conf)',
      kind: 'corpus',
      files: new Map([
        ['squid.conf', readFileSync(debian, 'utf8')],
        ['conf.d/debian.conf', readFileSync(path.join(CORPUS, 'debian-squid-conf.d-debian.conf'), 'utf8')],
      ]),
    });
  for (const name of existsSync(CORPUS) ? readdirSync(CORPUS).sort() : [])
    if (name.startsWith('gh-') && name.endsWith('squid.conf'))
      out.push({ name: `corpus:${name}`, kind: 'corpus', files: new Map([['squid.conf', readFileSync(path.join(CORPUS, name), 'utf8')]]) });
  return out;
}

/** Lines planted before Debian's `http_access deny all`: both readers refuse them, or both accept them. */
export function syntaxCases(base: SquidCase): SquidCase[] {
  const plant = (name: string, text: string, refused: boolean): SquidCase => {
    const files = new Map(base.files);
    files.set('squid.conf', files.get('squid.conf')!.replace(/^http_access deny all$/m, `${text}http_access deny all`));
    return { name: `syntax:${name}`, kind: 'syntax', files, refused };
  };
  return [
    plant('undefined ACL', 'http_access allow nosuchacl\n', true),
    plant('ACL redefined with another type', 'acl localnet dstdomain .example.org\n', true),
    plant('http_access verb (the line is skipped)', 'http_access permit all\n', false),
    plant('endif without if', 'endif\n', true),
    plant('if without endif', 'if ${process_number} = 0\nacl x src 10.0.0.1\n', true),
    plant('if expression', 'if maybe\nendif\n', true),
    plant('netmask', 'acl office src 10.0.0.0/40\n', true),
    plant(
      'continuation, comments and macros',
      'acl office src 10.20.0.0/16 \\\n# a comment inside the continuation\n   10.30.0.0/16 # ignored words\nacl named dstdomain ${service_name}.example\nhttp_access allow office\n',
      false,
    ),
    plant(
      'if and else',
      'if ${process_number} = 0\nacl office src 10.20.0.0/16\nelse\nacl office src 0.0.0.0/0\nendif\nif 0x10 = 16\nhttp_access allow office\nendif\n',
      false,
    ),
    plant(
      'ranges, masks and overlaps',
      'acl lab src 10.1.0.0/16 10.0.0.0/8 192.168.7.9-192.168.8.1 172.16.0.0/255.255.0.0 192.168.1.77/24 ::ffff:10.9.0.0/112\nhttp_access allow lab\n',
      false,
    ),
    plant('masks Squid reads its own way', 'acl odd src 10.0.0.0/0 2001:db8::/0 ::ffff:10.8.0.0/16\nhttp_access allow odd\n', false),
    plant('a line without ACLs is skipped', 'http_access allow\n', false),
    plant('predefined localhost extended (the overlapping entry is dropped)', 'acl localhost src 127.0.0.0/8\n', false),
  ];
}

/** Writes a case into a fresh folder …/squid below /tmp, with `/etc/squid/` rewritten to it. */
export function writeCase(referee: SquidCase): string {
  return writeTree((folder) => localise(referee, folder), 'squid', 'scr-squid-referee-');
}

/** The case's files as written into `folder` (the texts the engine and Squid both read). */
export function localise(referee: SquidCase, folder: string): Map<string, string> {
  return new Map([...referee.files].map(([relative, text]) => [relative, text.replace(/\/etc\/squid\//g, `${folder}/`)]));
}

export { removeTree as removeCase };
