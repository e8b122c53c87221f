// Runs inside a test network namespace (started with `ip netns exec`), never in the root namespace.
//   listen <tcp ports, comma-separated> <udp ports>   listens on every address; prints `ready`, then one line
//                                                    `tcp|udp <port> <peer address>` per connection or datagram
//   probe <file>                                     sends what the JSON file lists: [{ source, target, protocol,
//                                                    port }]: a TCP connect (SYN) or one UDP datagram from `source`;
//                                                    prints `done` when every attempt has finished or timed out
import { createServer, connect } from 'node:net';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';

const [mode, ...args] = process.argv.slice(2);

interface Probe {
  source: string;
  target: string;
  protocol: 'tcp' | 'udp';
  port: number;
}

const TIMEOUT_MS = 400;
const CONCURRENCY = 256;

function ports(text: string | undefined): number[] {
  return (text ?? '').split(',').filter(Boolean).map(Number);
}

function plain(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

async function listen(): Promise<void> {
  const waits: Array<Promise<void>> = [];
  for (const port of ports(args[0])) {
    const server = createServer((socket) => {
      process.stdout.write(`tcp ${port} ${plain(socket.remoteAddress)}\n`);
      socket.on('error', () => undefined);
      socket.destroy();
    });
    waits.push(new Promise((resolve, reject) => server.listen({ port, host: '::', ipv6Only: false }, resolve).on('error', reject)));
  }
  for (const port of ports(args[1])) {
    const socket = createSocket({ type: 'udp6', ipv6Only: false });
    socket.on('message', (_message, peer) => process.stdout.write(`udp ${port} ${plain(peer.address)}\n`));
    waits.push(new Promise((resolve, reject) => socket.bind({ port, address: '::' }, resolve).on('error', reject)));
  }
  await Promise.all(waits);
  process.stdout.write('ready\n');
}

function sendOne(probe: Probe): Promise<void> {
  return new Promise((resolve) => {
    if (probe.protocol === 'tcp') {
      const socket = connect({ host: probe.target, port: probe.port, localAddress: probe.source });
      const finish = () => {
        socket.destroy();
        resolve();
      };
      socket.setTimeout(TIMEOUT_MS, finish);
      socket.on('connect', finish);
      socket.on('error', finish);
      return;
    }
    const socket = createSocket(probe.source.includes(':') ? 'udp6' : 'udp4');
    socket.on('error', () => {
      socket.close();
      resolve();
    });
    socket.bind({ address: probe.source, port: 0 }, () => {
      socket.send('probe', probe.port, probe.target, () => {
        setTimeout(() => {
          socket.close();
          resolve();
        }, 50);
      });
    });
  });
}

async function probe(): Promise<void> {
  const probes = JSON.parse(readFileSync(args[0]!, 'utf8')) as Probe[];
  let next = 0;
  const worker = async () => {
    while (next < probes.length) await sendOne(probes[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, probes.length) }, worker));
  process.stdout.write('done\n');
}

if (mode === 'listen')
  listen().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
else if (mode === 'probe') probe().then(() => process.exit(0));
else {
  process.stderr.write('usage: agent listen <tcp> <udp> | agent probe <file>\n');
  process.exit(2);
}
