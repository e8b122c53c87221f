// Runs inside the referee's network namespace (ip netns exec): sends each probe from its forged client address
// (bound on the namespace's loopback) to the Squid listening on 127.0.0.1 / ::1 in the same namespace, and
// prints one JSON answer per probe. Never anything else: the namespace has no other interface.
import * as net from 'node:net';

export interface Probe {
  source: string;
  method: 'GET' | 'CONNECT';
  /** GET: the absolute URL; CONNECT: host:port. */
  target: string;
}

export interface Answer {
  status: number;
  /** Squid's X-Squid-Error header (ERR_ACCESS_DENIED, ERR_CONNECT_FAIL, ...), or a client-side failure. */
  error: string;
}

function ask(port: number, probe: Probe, timeoutMs = 10_000): Promise<Answer> {
  return new Promise((resolve) => {
    const v6 = probe.source.includes(':');
    const socket = net.connect({ host: v6 ? '::1' : '127.0.0.1', port, localAddress: probe.source });
    let data = '';
    const done = (answer: Answer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done({ status: 0, error: 'timeout' }), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      const host = probe.method === 'GET' ? new URL(probe.target).host : probe.target;
      socket.write(`${probe.method} ${probe.target} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: secure-config-review-referee\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = data.slice(0, end);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      done({ status, error: /^X-Squid-Error: (\S+)/im.exec(head)?.[1] ?? (status === 200 ? 'tunnel' : 'none') });
    });
    socket.on('error', (error) => done({ status: 0, error: `client: ${error.message}` }));
    socket.on('close', () => done({ status: 0, error: `closed: ${data.slice(0, 80)}` }));
  });
}

async function ready(port: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const { port, probes } = JSON.parse(input) as { port: number; probes: Probe[] };
  if (!(await ready(port, Date.now() + 30_000))) {
    process.stdout.write(JSON.stringify({ error: 'Squid did not start listening' }));
    return;
  }
  const answers: Answer[] = [];
  for (let i = 0; i < probes.length; i += 16) answers.push(...(await Promise.all(probes.slice(i, i + 16).map((probe) => ask(port, probe)))));
  process.stdout.write(JSON.stringify({ answers }));
}

if (require.main === module) void main();
