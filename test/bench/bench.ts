// Benchmark (not a test): prints how long linting takes, so figures can be compared across changes.
//   npm run bench
import type { FileAccess } from '../../src/core/types';
import { engine } from '../../src/product';

const noFiles: FileAccess = { readFile: async () => undefined, readDirectory: async () => undefined };

function syntheticMainCf(lines: number): string {
  const out = ['compatibility_level = 3.6', 'mynetworks = 127.0.0.0/8 [::1]/128 $office_networks', 'office_networks = 192.168.10.0/24, 172.0.0.0/8'];
  for (let i = 0; out.length < lines; i++) {
    if (i % 10 === 0) out.push(`# section ${i}`);
    else if (i % 7 === 0) out.push(`smtpd_recipient_restrictions = permit_mynetworks,`, `    permit_sasl_authenticated,`, `    reject_unauth_destination`);
    else out.push(`custom_parameter_${i} = value_${i} $myhostname`);
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function syntheticNginx(lines: number): string {
  const out = ['events {}', 'http {', '  server {', '    listen 80;', '    server_name www.example.jp;', '    root /var/www/site;'];
  for (let i = 0; out.length < lines - 3; i++) {
    if (i % 5 === 0) out.push(`    location ~ ^/app${i}/.*\\.php$ {`, '      fastcgi_pass unix:/run/php.sock;', '    }');
    else out.push(`    location /section${i}/ {`, `      allow 192.168.${i % 250}.0/24;`, '      deny all;', '    }');
  }
  out.push('    location /wp-admin/ { allow 172.0.0.0/8; deny all; }', '  }', '}');
  return out.join('\n') + '\n';
}

function syntheticCompose(lines: number): string {
  const out = ['services:'];
  for (let i = 0; out.length < lines; i++)
    out.push(
      `  svc${i}:`,
      `    image: ${i % 3 ? 'nginx:1.27' : 'redis:7'}`,
      '    ports:',
      `      - "${10000 + i}:${i % 3 ? 80 : 6379}"`,
      '    environment:',
      `      KEY_${i}: value`,
    );
  return out.slice(0, lines).join('\n') + '\n';
}

async function measure(label: string, lines: number, runs: number, path = '/bench/main.cf', make: (lines: number) => string = syntheticMainCf): Promise<void> {
  const text = make(lines);
  await engine.lintFile(path, text, { files: noFiles }); // warm-up
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    // A keystroke: the same document with one character changed.
    const edited = i % 2 ? text.replace('\n', ' \n') : text;
    const start = process.hrtime.bigint();
    findings = (await engine.lintFile(path, edited, { files: noFiles })).findings.length;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.floor(times.length * 0.95)]!;
  const heap = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(
    `${label}: ${lines} lines, ${runs} runs: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms, ${findings} findings, heap ${heap.toFixed(0)} MiB`,
  );
}

async function main(): Promise<void> {
  console.log(`node ${process.version}`);
  await measure('main.cf (lint per keystroke)', 5000, 30);
  await measure('main.cf', 500, 50);
  await measure('main.cf', 50000, 5);
  await measure('nginx.conf', 5000, 10, '/bench/nginx.conf', syntheticNginx);
  await measure('docker-compose.yml', 5000, 10, '/bench/docker-compose.yml', syntheticCompose);
}

void main();
