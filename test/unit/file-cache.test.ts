// The audit's caching FileAccess (src/core/file-cache.ts): every path read at most once, failed lookups
// remembered, a walk's listings answering for absent files, bounded text, shared parses.
import assert from 'node:assert/strict';
import { cachingFileAccess, sharedParse } from '../../src/core/file-cache';
import type { FileAccess } from '../../src/core/types';
import { engine } from '../../src/product';

function countingDisk(files: Record<string, string>, folders: Record<string, string[]> = {}) {
  const reads: string[] = [];
  const listings: string[] = [];
  const base: FileAccess = {
    async readFile(path) {
      reads.push(path);
      return files[path];
    },
    async readDirectory(path) {
      listings.push(path);
      return folders[path];
    },
  };
  return { base, reads, listings };
}

describe('caching FileAccess', () => {
  it('reads each file once, including reads that were in flight together and reads that failed', async () => {
    const disk = countingDisk({ '/etc/postfix/main.cf': 'a = b\n' });
    const files = cachingFileAccess(disk.base);
    const [first, second] = await Promise.all([files.readFile('/etc/postfix/main.cf'), files.readFile('/etc/postfix/main.cf')]);
    assert.equal(first, 'a = b\n');
    assert.equal(second, 'a = b\n');
    assert.equal(await files.readFile('/etc/postfix/main.cf'), 'a = b\n');
    assert.equal(await files.readFile('/etc/nginx/nginx.conf'), undefined);
    assert.equal(await files.readFile('/etc/nginx/nginx.conf'), undefined);
    assert.deepEqual(disk.reads, ['/etc/postfix/main.cf', '/etc/nginx/nginx.conf']);
  });

  it('answers from a listing: an unlisted name is absent without a read, a listed one is read', async () => {
    const disk = countingDisk({ '/srv/site/master.cf': 'smtp inet n - y - - smtpd\n' });
    const files = cachingFileAccess(disk.base);
    files.knowDirectory('/srv/site', ['main.cf', 'master.cf']);
    assert.equal(await files.readFile('/srv/site/nginx.conf'), undefined);
    assert.equal(await files.readFile('/srv/site/master.cf'), 'smtp inet n - y - - smtpd\n');
    assert.deepEqual(await files.readDirectory('/srv/site'), ['main.cf', 'master.cf']);
    assert.deepEqual(disk.reads, ['/srv/site/master.cf']);
    assert.deepEqual(disk.listings, []);
  });

  it('asks the disk when a name differs from a listed one only by case (a case-insensitive file system)', async () => {
    const disk = countingDisk({ '/srv/Main.cf': 'x = y\n' });
    const files = cachingFileAccess(disk.base);
    files.knowDirectory('/srv', ['main.cf']);
    assert.equal(await files.readFile('/srv/Main.cf'), 'x = y\n');
    assert.deepEqual(disk.reads, ['/srv/Main.cf']);
  });

  it('does not take a folder that cannot be listed for an empty one', async () => {
    const disk = countingDisk({ '/locked/redis.conf': 'port 6379\n' });
    const files = cachingFileAccess(disk.base);
    assert.equal(await files.readDirectory('/locked'), undefined);
    assert.equal(await files.readDirectory('/locked'), undefined);
    assert.equal(await files.readFile('/locked/redis.conf'), 'port 6379\n');
    assert.deepEqual(disk.listings, ['/locked']);
  });

  it('serves texts the audit read itself, and keeps at most the text it is allowed (oldest first out)', async () => {
    const disk = countingDisk({ '/a': 'aaaa', '/b': 'bbbb', '/c': 'cccc' });
    const files = cachingFileAccess(disk.base, { maxTextUnits: 8 });
    files.knowFile('/a', 'aaaa');
    assert.equal(await files.readFile('/a'), 'aaaa');
    assert.deepEqual(disk.reads, []);
    await files.readFile('/b');
    await files.readFile('/c'); // '/a' goes: 12 units > 8
    await files.readFile('/a');
    assert.deepEqual(disk.reads, ['/b', '/c', '/a']);
  });

  it('shares a parse for the same kind, path and text, and parses again when the text changed', () => {
    const files = cachingFileAccess(countingDisk({}).base);
    let parses = 0;
    const parse = (text: string) => () => {
      parses++;
      return { length: text.length };
    };
    const first = sharedParse(files, 'k8s-manifests', '/x.yaml', 'kind: Service\n', parse('kind: Service\n'));
    assert.equal(sharedParse(files, 'k8s-manifests', '/x.yaml', 'kind: Service\n', parse('kind: Service\n')), first);
    sharedParse(files, 'other-kind', '/x.yaml', 'kind: Service\n', parse('kind: Service\n'));
    sharedParse(files, 'k8s-manifests', '/x.yaml', 'kind: Pod\n', parse('kind: Pod\n'));
    assert.equal(parses, 3);
    // Without a cache (the editor's lint of one document), the parse runs every time.
    const plain: FileAccess = { readFile: async () => undefined, readDirectory: async () => undefined };
    sharedParse(plain, 'k8s-manifests', '/x.yaml', 'kind: Service\n', parse('kind: Service\n'));
    assert.equal(parses, 4);
  });

  it('gives the engine the same findings as a plain FileAccess for files that read their folder (Kubernetes)', async () => {
    const deployment = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: cache }',
      'spec:',
      '  selector: { matchLabels: { app: cache } }',
      '  template:',
      '    metadata: { labels: { app: cache } }',
      '    spec:',
      '      containers:',
      '        - name: redis',
      '          image: redis:7',
      '          ports: [{ containerPort: 6379 }]',
      '',
    ].join('\n');
    const service = [
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: cache }',
      'spec:',
      '  type: LoadBalancer',
      '  selector: { app: cache }',
      '  ports: [{ port: 6379 }]',
      '',
    ].join('\n');
    const tree = { '/k/deployment.yaml': deployment, '/k/service.yaml': service };
    const plain = countingDisk(tree, { '/k': ['deployment.yaml', 'service.yaml'] }).base;
    const cached = cachingFileAccess(countingDisk(tree, { '/k': ['deployment.yaml', 'service.yaml'] }).base);
    for (const [path, text] of Object.entries(tree)) {
      const expected = await engine.lintFile(path, text, { files: plain });
      // Twice through the cache: the second lint of the folder uses the shared parses.
      for (let round = 0; round < 2; round++) {
        const actual = await engine.lintFile(path, text, { files: cached });
        assert.deepEqual(actual, expected);
      }
    }
  });
});
