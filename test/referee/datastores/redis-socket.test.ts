// Referee for redis/unix-socket-world-writable: redis-server creates the unix socket of every Redis fixture
// and corpus file that sets one, with the file's own unixsocketperm (TCP off, socket in a temporary folder),
// and an unprivileged account (nobody) tries to PING through it. The rule must report exactly the files whose
// socket lets that account in while no password is asked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { loadRedisConfig } from '../../../src/families/redis/formats';
import { engine } from '../../../src/product';
import { memoryFiles } from '../../support/fixtures';
import { type Input, type Tally, inputs, printTable, requireProgram, withTempDir } from './support';

const isRoot = process.getuid?.() === 0;

async function model(input: Input): Promise<{ socket: boolean; reported: boolean }> {
  const files = new Map([[`/ref/${input.baseName}`, input.text], ...[...input.siblings].map(([name, text]) => [`/ref/${name}`, text] as [string, string])]);
  const config = await loadRedisConfig(new SourceText(`/ref/${input.baseName}`, input.text), memoryFiles(files), []);
  const { findings } = await engine.lintFile(`/ref/${input.baseName}`, input.text, { files: memoryFiles(files), format: 'redis-conf' });
  return {
    socket: config.last('unixsocket') !== undefined && config.last('unixsocketperm') !== undefined,
    reported: findings.some((finding) => finding.ruleId === 'redis/unix-socket-world-writable'),
  };
}

/** 'open' when nobody gets PONG through the socket without a password, 'closed' otherwise; a string on failure. */
function probe(server: string, input: Input, folder: string): string {
  chmodSync(folder, 0o755); // nobody must be able to reach the socket inside it
  for (const [name, text] of input.siblings) writeFileSync(path.join(folder, name), text);
  const socket = path.join(folder, 'redis.sock');
  const text = input.text
    .replace(/^(\s*dir\s+).*$/gim, `$1${folder}`)
    .replace(/^(\s*include\s+)(\S+)/gim, (line, head: string, target: string) =>
      input.siblings.has(path.basename(target)) ? `${head}${path.join(folder, path.basename(target))}` : line,
    );
  // The file's unixsocketperm stays; only where the socket lives and what else runs changes.
  const neutral = ['daemonize no', 'supervised no', 'port 0', `dir ${folder}`, `pidfile ${folder}/redis.pid`, 'logfile ""', `unixsocket ${socket}`];
  const conf = path.join(folder, 'referee.conf');
  writeFileSync(conf, `${text}\n${neutral.join('\n')}\n`);
  const script = [
    `${server} ${conf} > ${folder}/log 2>&1 & pid=$!`,
    `for i in $(seq 100); do [ -S ${socket} ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.05; done`,
    `runuser -u nobody -- redis-cli -s ${socket} ping 2>&1 | head -1`,
    'kill $pid 2>/dev/null; wait $pid 2>/dev/null',
  ].join('\n');
  const result = spawnSync('sh', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
  const answer = result.stdout.trim();
  if (answer === 'PONG') return 'open';
  if (/Permission denied|NOAUTH|WRONGPASS/.test(answer)) return 'closed';
  return `no answer (${answer || result.stderr.trim()})`;
}

describe('referee: redis-server and the kernel agree with redis/unix-socket-world-writable', function () {
  this.timeout(120_000);
  it('reports exactly the sockets an unprivileged account can use without a password', async function () {
    const server = requireProgram(this, 'redis-server (Debian package redis-server)', ['/usr/bin/redis-server', '/usr/local/bin/redis-server']);
    requireProgram(this, 'redis-cli (Debian package redis-tools)', ['/usr/bin/redis-cli', '/usr/local/bin/redis-cli']);
    if (!isRoot) {
      if (process.env.CI === 'true') assert.fail('this referee needs root in CI (it runs redis-cli as nobody)');
      console.warn('\n  !!! SKIPPED: not root, cannot run redis-cli as another account\n');
      this.skip();
    }
    const tally: Tally = { files: 0, values: 0, disagreements: [] };
    for (const input of inputs(['redis-conf'], ['redis'])) {
      const ours = await model(input);
      if (!ours.socket) continue;
      tally.files++;
      const real = withTempDir('scr-redis-socket-', (folder) => probe(server, input, folder));
      if (real !== 'open' && real !== 'closed') {
        tally.disagreements.push(`${input.name}: ${real}`);
        continue;
      }
      tally.values++;
      if ((real === 'open') !== ours.reported)
        tally.disagreements.push(`${input.name}: nobody's PING is ${real}, we ${ours.reported ? 'report' : 'do not report'} the socket`);
    }
    printTable('redis unix socket referee', tally);
    assert.ok(tally.values > 0, 'no Redis file with a unix socket found');
    assert.deepEqual(tally.disagreements, []);
  });
});
