// What listens behind a firewall's ports: service configuration files in the firewall file's folder and the
// folders above it (a repository holding etc/iptables/rules.v4 beside docker-compose.yml or etc/redis/). The
// firewall findings name the service and point at where its port is configured.
import type { SourceText } from '../../../core/source';
import type { FileAccess, Span } from '../../../core/types';
import { dirname, joinPath, readSource } from '../paths';
import type { Protocol } from './model';
import { wellKnownImage, wellKnownPort } from '../well-known';
import type * as ComposeModel from '../../compose/model';
import { parseRedisFile } from '../../redis/config';
import { parsePgConf } from '../../postgresql/conf';
import { isServerGroup, normaliseOptionName, parseOptionFile } from '../../mysql/option-file';

export interface ServiceBehind {
  port: number;
  protocol: Protocol;
  /** Product name, e.g. `Redis`. */
  label: string;
  /** Where the port is configured (or the file that implies the default port). */
  span: Span;
  /** Published by Docker (compose `ports:`): forwarded through DOCKER-USER, not INPUT. */
  docker?: { containerPort: number; service: string };
}

export interface ServiceFacts {
  services: ServiceBehind[];
  sources: SourceText[];
}

const COMPOSE = /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/i;

/** Service configs in `folder`, its parent and grandparent, and their etc/ subfolders named after the service. */
export async function findServiceFacts(firewallPath: string, files: FileAccess): Promise<ServiceFacts> {
  const facts: ServiceFacts = { services: [], sources: [] };
  const seen = new Set<string>();
  let folder = dirname(firewallPath);
  const folders: string[] = [];
  for (let level = 0; level < 3; level++) {
    folders.push(folder);
    for (const sub of ['redis', 'mysql', 'mysql/mysql.conf.d', 'mariadb.conf.d', 'postgresql', 'ssh']) folders.push(joinPath(folder, sub));
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  for (const directory of folders) {
    const names = await files.readDirectory(directory).catch(() => undefined);
    // Only the names of service files, sorted (a copy: the listing may be a cache's own array); most folders
    // above a firewall file hold none of them, and a path is joined only for those that are.
    const found: Array<[string, Kind]> = [];
    for (const name of names ?? []) {
      const kind = kindOf(name);
      if (kind) found.push([name, kind]);
    }
    for (const [name, kind] of found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const path = joinPath(directory, name);
      if (seen.has(path) || path === firewallPath) continue;
      seen.add(path);
      const source = await readSource(files, path);
      if (!source) continue;
      const before = facts.services.length;
      try {
        readService(kind, source, facts.services);
      } catch {
        facts.services.length = before;
      }
      if (facts.services.length > before) facts.sources.push(source);
    }
  }
  return facts;
}

type Kind = 'compose' | 'redis' | 'mysql' | 'postgresql' | 'pg_hba' | 'sshd';

function kindOf(name: string): Kind | undefined {
  if (COMPOSE.test(name)) return 'compose';
  if (/^redis(-server)?(\.[\w-]+)?\.conf$/i.test(name)) return 'redis';
  if (/^(my|mysqld|50-server|server|mariadb)\.cnf$/i.test(name)) return 'mysql';
  if (name === 'postgresql.conf') return 'postgresql';
  if (name === 'pg_hba.conf') return 'pg_hba';
  if (name === 'sshd_config') return 'sshd';
  return undefined;
}

function readService(kind: Kind, source: SourceText, out: ServiceBehind[]): void {
  const whole: Span = { file: source.path, start: 0, end: source.lineEnd(0) };
  switch (kind) {
    case 'compose': {
      // The compose model (and the YAML library) is loaded when a compose file is found, not at start-up (issue 16).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseComposeServices } = require('../../compose/model') as typeof ComposeModel;
      for (const service of parseComposeServices(source, new Map(), [])) {
        const known = service.image ? wellKnownImage(service.image.text) : undefined;
        for (const entry of service.ports) {
          const hostPort = Number(entry.spec.hostPort);
          if (!Number.isInteger(hostPort) || hostPort <= 0 || entry.spec.containerPorts.length !== 1) continue;
          const host = entry.spec.hostIp;
          if (host !== '' && host !== '0.0.0.0' && host !== '::' && host !== '[::]') continue;
          const containerPort = entry.spec.containerPorts[0]!;
          const label = known?.label ?? wellKnownPort(containerPort)?.label ?? service.name;
          const protocol: Protocol = entry.spec.protocol === 'udp' ? 'udp' : 'tcp';
          out.push({ port: hostPort, protocol, label: `${label} (${service.name})`, span: entry.span, docker: { containerPort, service: service.name } });
        }
      }
      return;
    }
    case 'redis': {
      const directives = parseRedisFile(source, []);
      const port = [...directives].reverse().find((directive) => directive.name === 'port');
      const value = port ? Number(port.args[0]?.text) : 6379;
      if (Number.isInteger(value) && value > 0) out.push({ port: value, protocol: 'tcp', label: 'Redis', span: port?.span ?? whole });
      return;
    }
    case 'mysql': {
      let found: { value: number; span: Span } | undefined;
      let server = false;
      for (const line of parseOptionFile(source, [])) {
        if (line.kind !== 'option' || !isServerGroup(line.option.group)) continue;
        server = true;
        if (normaliseOptionName(line.option.name) === 'port') found = { value: Number(line.option.value?.text), span: line.option.span };
      }
      if (!server) return;
      out.push({ port: found?.value ?? 3306, protocol: 'tcp', label: 'MySQL/MariaDB', span: found?.span ?? whole });
      return;
    }
    case 'postgresql': {
      const port = [...parsePgConf(source, [])].reverse().find((setting) => setting.name === 'port');
      out.push({ port: port ? Number(port.value) : 5432, protocol: 'tcp', label: 'PostgreSQL', span: port?.span ?? whole });
      return;
    }
    case 'pg_hba':
      out.push({ port: 5432, protocol: 'tcp', label: 'PostgreSQL', span: whole });
      return;
    case 'sshd': {
      const ports: Array<{ value: number; span: Span }> = [];
      for (let line = 0; line < source.lineCount; line++) {
        const text = source.lineText(line);
        const match = /^\s*Port\s+(\d+)\s*$/i.exec(text);
        if (/^\s*Match\s/i.test(text)) break;
        if (match) ports.push({ value: Number(match[1]), span: { file: source.path, start: source.lineStarts[line]!, end: source.lineEnd(line) } });
      }
      if (!ports.length) ports.push({ value: 22, span: whole });
      for (const port of ports) out.push({ port: port.value, protocol: 'tcp', label: 'SSH', span: port.span });
      return;
    }
  }
}

/** The services configured on `port`. */
export function servicesBehind(facts: ServiceFacts, protocol: Protocol, port: number): ServiceBehind[] {
  return facts.services.filter((service) => service.protocol === protocol && service.port === port);
}
