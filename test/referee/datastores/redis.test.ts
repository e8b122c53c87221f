// Referee: redis-server reads each Redis fixture and corpus file, and `CONFIG GET` must give the values our
// model computes for bind, port, protected-mode and requirepass.
// Neutralised (appended, so they win): daemonize no, supervised no, dir/pidfile/logfile/unixsocket in the
// temporary folder (`dir` lines are rewritten in place: the server changes into it while reading); `include /etc/redis/x` points at the copied sibling. bind and port stay as written:
// as root the server runs in a private network namespace (`unshare -n`, only its own loopback, with the
// file's bind addresses added to it), and we talk to it over the unix socket. Without root bind/port are
// replaced by 127.0.0.1 and a free port, and left out of the comparison (said loudly).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { loadRedisConfig } from '../../../src/families/redis/formats';
import { memoryFiles } from '../../support/fixtures';
import { type Input, type Tally, inputs, printTable, requireProgram, withTempDir } from './support';

const PARAMETERS = ['bind', 'port', 'protected-mode', 'requirepass'] as const;
const isRoot = process.getuid?.() === 0;

async function modelValues(input: Input): Promise<Record<string, string>> {
  const files = new Map([[`/ref/${input.baseName}`, input.text], ...[...input.siblings].map(([name, text]) => [`/ref/${name}`, text] as [string, string])]);
  const config = await loadRedisConfig(new SourceText(`/ref/${input.baseName}`, input.text), memoryFiles(files), []);
  const last = (name: string) => config.last(name)?.args.map((arg) => arg.text);
  return {
    bind: last('bind')?.join(' ') ?? '* -::*',
    port: last('port')?.[0] ?? '6379',
    'protected-mode': last('protected-mode')?.[0]?.toLowerCase() ?? 'yes',
    requirepass: last('requirepass')?.[0] ?? '',
  };
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function runRedis(server: string, input: Input, model: Record<string, string>, folder: string): Record<string, string> | string {
  for (const [name, text] of input.siblings) writeFileSync(path.join(folder, name), text);
  const socket = path.join(folder, 'redis.sock');
  // redis-server changes into `dir` while it reads the file, so a missing /data stops it at that line.
  const text = input.text
    .replace(/^(\s*dir\s+).*$/gim, `$1${folder}`)
    .replace(/^(\s*include\s+)(\S+)/gim, (line, head: string, target: string) =>
      input.siblings.has(path.basename(target)) ? `${head}${path.join(folder, path.basename(target))}` : line,
    );
  const neutral = ['daemonize no', 'supervised no', `dir ${folder}`, `pidfile ${folder}/redis.pid`, 'logfile ""', `unixsocket ${socket}`, 'unixsocketperm 700'];
  if (!isRoot) neutral.push('bind 127.0.0.1', `port ${20_000 + Math.floor(Math.random() * 20_000)}`);
  const conf = path.join(folder, 'referee.conf');
  writeFileSync(conf, `${text}\n${neutral.join('\n')}\n`);
  const addresses = model
    .bind!.split(' ')
    .map((address) => address.replace(/^-/, ''))
    .filter((address) => !['*', '::*', '0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(address));
  const auth = model.requirepass ? `-a ${shellQuote(model.requirepass)} --no-auth-warning` : '';
  const script = [
    'set -u',
    isRoot ? 'ip link set lo up' : ':',
    ...(isRoot ? addresses.map((address) => `ip addr add ${shellQuote(address.includes(':') ? `${address}/128` : `${address}/32`)} dev lo 2>/dev/null`) : []),
    `${server} ${shellQuote(conf)} > ${shellQuote(path.join(folder, 'log'))} 2>&1 & pid=$!`,
    `for i in $(seq 100); do redis-cli -s ${shellQuote(socket)} ${auth} ping 2>/dev/null | grep -q PONG && break; kill -0 $pid 2>/dev/null || break; sleep 0.05; done`,
    ...PARAMETERS.map((name) => `echo "=${name}"; redis-cli -s ${shellQuote(socket)} ${auth} --raw config get ${name} | sed -n 2p`),
    'kill $pid 2>/dev/null; wait $pid 2>/dev/null; cat ' + shellQuote(path.join(folder, 'log')) + ' | sed "s/^/log: /" | tail -3',
  ].join('\n');
  const result = isRoot
    ? spawnSync('unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8', timeout: 20_000 })
    : spawnSync('sh', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
  const values: Record<string, string> = {};
  let current: string | undefined;
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('=')) current = line.slice(1);
    else if (current && !line.startsWith('log: ') && values[current] === undefined) values[current] = line;
  }
  if (PARAMETERS.some((name) => values[name] === undefined || (values[name] === '' && name !== 'requirepass')))
    return `redis-server gave no answer: ${result.stdout
      .split('\n')
      .filter((line) => line.startsWith('log: '))
      .join(' | ')}`;
  return values;
}

describe('referee: redis-server agrees with our redis.conf model', function () {
  this.timeout(180_000);
  it('CONFIG GET bind, port, protected-mode, requirepass equal our effective values for every fixture and corpus file', async function () {
    const server = requireProgram(this, 'redis-server (Debian package redis-server)', ['/usr/bin/redis-server', '/usr/local/bin/redis-server']);
    requireProgram(this, 'redis-cli (Debian package redis-tools)', ['/usr/bin/redis-cli', '/usr/local/bin/redis-cli']);
    if (!isRoot) console.warn('\n  !!! not root: bind and port are replaced by 127.0.0.1 and a free port and not compared\n');
    const tally: Tally = { files: 0, values: 0, disagreements: [] };
    for (const input of inputs(['redis-conf'], ['redis'])) {
      const model = await modelValues(input);
      const daemon = withTempDir('scr-redis-', (folder) => runRedis(server, input, model, folder));
      tally.files++;
      if (typeof daemon === 'string') {
        tally.disagreements.push(`${input.name}: ${daemon}`);
        continue;
      }
      for (const name of PARAMETERS) {
        if (!isRoot && (name === 'bind' || name === 'port')) continue;
        tally.values++;
        if (daemon[name] !== model[name]) tally.disagreements.push(`${input.name}: ${name} is "${daemon[name]}" for redis-server, "${model[name]}" for us`);
      }
    }
    printTable('redis-server referee', tally);
    assert.ok(tally.files > 0, 'no Redis files found');
    assert.deepEqual(tally.disagreements, []);
  });
});
