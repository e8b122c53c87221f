// Runs inside a network namespace of its own (`unshare -n`, started by referee.test.ts): brings up its
// loopback with the plan's addresses, starts stand-in servers and HAProxy, sends every probe from the
// source address it names, prints the answers as JSON and stops everything. The namespace disappears with
// this process, so nothing it configures outlives it and no packet leaves it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type Socket, connect, createServer } from 'node:net';
import type { Plan, Probe, ProbeResult } from './plan';

const BANNER = 'SCR-BANNER';

function servers(plan: Plan): Array<ReturnType<typeof createServer>> {
  return plan.servers.map(({ host, port }) => {
    const server = createServer((socket) => {
      let answered = false;
      const answer = (http: boolean) => {
        if (answered) return;
        answered = true;
        socket.end(http ? `HTTP/1.1 200 OK\r\nContent-Length: ${BANNER.length + 1}\r\nConnection: close\r\n\r\n${BANNER}\n` : `${BANNER}\n`);
      };
      socket.on('data', (chunk) => answer(/^[A-Z]+ \S+ HTTP\//.test(chunk.toString('latin1'))));
      socket.on('error', () => undefined);
      setTimeout(() => answer(false), 300);
    });
    server.on('error', () => undefined);
    server.listen(port, host);
    return server;
  });
}

function httpProbe(probe: Extract<Probe, { kind: 'http' }>): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const send = probe.tls ? httpsRequest : httpRequest;
    const req = send(
      {
        host: probe.dest,
        port: probe.port,
        path: probe.path,
        localAddress: probe.source,
        headers: { Host: probe.host },
        timeout: 3000,
        rejectUnauthorized: false,
        servername: probe.host.includes('.') ? probe.host : undefined,
      },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => {
          if (body.length < 1024) body += chunk;
        });
        res.on('end', () => resolve({ id: probe.id, status: res.statusCode ?? 0, body }));
        res.on('error', () => resolve({ id: probe.id, status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', (error) => resolve({ id: probe.id, error: error.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

function tcpProbe(probe: Extract<Probe, { kind: 'tcp' }>): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let data = '';
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ id: probe.id, data, ...(error && !data ? { error } : {}) });
    };
    const socket: Socket = connect({ host: probe.dest, port: probe.port, localAddress: probe.source }, () => {
      if (probe.send) socket.write(probe.send);
    });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.includes('\n') && (data.includes(BANNER) || probe.send)) setTimeout(() => finish(), 50);
    });
    socket.on('end', () => finish());
    socket.on('error', (error) => finish(error.message));
    setTimeout(() => finish('timeout'), 2500);
  });
}

async function waitForListener(plan: Plan): Promise<void> {
  for (const probe of plan.probes)
    if (probe.kind === 'mode')
      for (let attempt = 0; attempt < 60 && !existsSync(probe.path); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
  const first = plan.probes.find((probe): probe is Extract<Probe, { kind: 'http' | 'tcp' }> => probe.kind !== 'mode');
  if (!first) return;
  for (let attempt = 0; attempt < 60; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: first.dest, port: first.port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(): Promise<void> {
  const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Plan;
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  for (const address of plan.addresses) execFileSync('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo']);
  const stand = servers(plan);
  const daemon = spawn(plan.haproxy, ['-db', '-f', plan.config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  daemon.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitForListener(plan);
  const results: ProbeResult[] = [];
  for (const probe of plan.probes) {
    if (probe.kind === 'http') results.push(await httpProbe(probe));
    else if (probe.kind === 'tcp') results.push(await tcpProbe(probe));
    else {
      let mode: number | undefined;
      try {
        mode = statSync(probe.path).mode & 0o777;
      } catch {
        mode = undefined;
      }
      results.push({ id: probe.id, ...(mode === undefined ? { error: 'no socket' } : { mode }) });
    }
  }
  // SIGTERM stops HAProxy at once; SIGKILL if it has not gone within two seconds.
  const running = daemon.exitCode === null && daemon.signalCode === null;
  const exited = running ? new Promise((resolve) => daemon.once('exit', resolve)) : Promise.resolve();
  if (running) daemon.kill('SIGTERM');
  const timer = setTimeout(() => daemon.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
  for (const server of stand) server.close();
  // A pipe is written asynchronously: exit once the answer is out.
  process.stdout.write(JSON.stringify({ results, log: log.split('\n').slice(-5).join('\n'), ...(running ? {} : { early: true }) }), () => process.exit(0));
}

void main();
