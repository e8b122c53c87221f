import { modelKey, text } from '../../core/check';
import type { FileAccess } from '../../core/types';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { judgeYaml } from '../../core/sniff';
import type { SourceText } from '../../core/source';
import type { ComposeService, ComposeValue, EnvEntry, Mount } from './model';
import type * as Model from './model';
import { interpolate } from './interpolate';
import { parseEnvFile } from './interpolate';
import { parseEnvFileEntries } from './env-file';
import { basename, dirname, joinPath, readSource } from '../shared/paths';
import { type RedisConfig, loadRedisConfig } from '../redis/formats';
import type { MongodConfig } from '../mongodb/config';
import type * as MongodbConfig from '../mongodb/config';
import { type EsConfig, parseEsYaml } from '../elasticsearch/formats';
import type { FirewallView } from '../ufw/docker-view';
import type * as DockerView from '../ufw/docker-view';
import { nameHasWord } from '../shared/names';

export type { ComposeService, ComposeValue, EnvEntry, Mount } from './model';

export interface MountedConfig<Config> {
  config: Config;
  /** The command-line argument or mount that makes the server read it. */
  via: ComposeValue | Mount;
}

export interface ComposeProject {
  source: SourceText;
  services: ComposeService[];
  /** Datastore configuration files the services mount, read from the workspace, by service name. */
  redis: Map<string, MountedConfig<RedisConfig> | 'unreadable'>;
  mongod: Map<string, MountedConfig<MongodConfig> | 'unreadable'>;
  elasticsearch: Map<string, MountedConfig<EsConfig> | 'unreadable'>;
  /** A ufw or iptables rules file found beside or above the compose file. */
  firewall?: SourceText;
  /** Its rules in the firewall packet-path model, when they could be read (ufw: with the rest of its folder). */
  firewallView?: FirewallView;
  sources: SourceText[];
}

const OVERRIDE = /^(docker-)?compose\.override\.ya?ml$/;
const MAIN_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

function isComposeName(baseName: string): boolean {
  return nameHasWord(baseName, ['compose'], ['yml', 'yaml']);
}

/** The host file behind a path inside the container, through a bind mount of it or of a folder above it. */
export function hostPathFor(service: ComposeService, containerPath: string, folder: string): { path: string; mount: Mount } | undefined {
  for (const mount of service.mounts) {
    if (!/^(\.{1,2}\/|\/)/.test(mount.source)) continue; // named volumes and ~ paths are not in the workspace
    let end = mount.target.length;
    while (end > 0 && mount.target[end - 1] === '/') end--;
    const target = mount.target.slice(0, end);
    if (containerPath === target) return { path: joinPath(folder, mount.source), mount };
    if (containerPath.startsWith(`${target}/`)) return { path: joinPath(folder, `${mount.source}/${containerPath.slice(target.length + 1)}`), mount };
  }
  return undefined;
}

function argumentAfter(args: ComposeValue[] | undefined, ...flags: string[]): ComposeValue | undefined {
  if (!args) return undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    for (const flag of flags) {
      if (arg.text === flag && args[i + 1]) return args[i + 1];
      if (arg.text.startsWith(`${flag}=`)) return { text: arg.text.slice(flag.length + 1), span: arg.span };
    }
  }
  return undefined;
}

/** The config file redis-server is started with: `redis-server /path.conf ...` or (official image) `/path.conf ...`. */
export function redisConfigArgument(command: ComposeValue[] | undefined): ComposeValue | undefined {
  if (!command?.length) return undefined;
  const [first, second] = command;
  if (first!.text.endsWith('.conf')) return first;
  if (/(^|\/)redis-server$/.test(first!.text) && second && !second.text.startsWith('-')) return second;
  return undefined;
}

async function findFirewall(files: FileAccess, folder: string): Promise<SourceText | undefined> {
  const RULE_FILES = ['user.rules', 'user6.rules', 'before.rules', 'rules.v4', 'rules.v6', 'iptables.rules', 'iptables.conf', 'iptables-save', 'ufw.conf'];
  let current = folder;
  for (let level = 0; level < 3; level++) {
    const candidates = [current, `${current}/ufw`, `${current}/iptables`, `${current}/etc/ufw`, `${current}/etc/iptables`];
    for (const directory of candidates) {
      const names = await files.readDirectory(directory).catch(() => undefined);
      const name = names?.find((entry) => RULE_FILES.includes(entry));
      if (name) return readSource(files, joinPath(directory, name));
    }
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return undefined;
}

/**
 * Puts the variables of the service's env_file entries before its `environment:` (compose: later env files
 * override earlier ones, and `environment:` overrides them all). Paths are relative to the compose file that
 * names them; an unreadable file (often kept out of the repository) adds nothing.
 */
async function addEnvFiles(service: ComposeService, files: FileAccess, env: ReadonlyMap<string, string>, sources: SourceText[]): Promise<void> {
  const fromFiles = new Map<string, EnvEntry>();
  for (const envFile of service.envFiles) {
    const path = joinPath(dirname(envFile.span.file), interpolate(envFile.text, env).text);
    const file = sources.find((known) => known.path === path) ?? (await readSource(files, path));
    if (!file) continue;
    if (!sources.includes(file)) sources.push(file);
    for (const variable of parseEnvFileEntries(file, env)) {
      fromFiles.delete(variable.name);
      fromFiles.set(variable.name, { ...variable, form: 'env-file', envFile });
    }
  }
  const written = new Set(service.environment.map((variable) => variable.name));
  service.environment = [...[...fromFiles.values()].filter((variable) => !written.has(variable.name)), ...service.environment];
}

export async function loadComposeProject(source: SourceText, files: FileAccess, problems: ParseProblem[]): Promise<ComposeProject> {
  // The model (and the YAML library), mongod's reader and the firewall view are loaded with the first compose
  // file, not at start-up (issue 16).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { mergeServices, parseComposeServices } = require('./model') as typeof Model;
  const { parseMongod } = require('../mongodb/config') as typeof MongodbConfig;
  const { readFirewallView } = require('../ufw/docker-view') as typeof DockerView;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const folder = dirname(source.path);
  const sources: SourceText[] = [source];
  const envSource = await readSource(files, joinPath(folder, '.env'));
  const env = new Map([...(envSource ? parseEnvFile(envSource.text) : new Map<string, { value: string }>())].map(([name, entry]) => [name, entry.value]));
  let services = parseComposeServices(source, env, problems);
  const base = basename(source.path);
  if (OVERRIDE.test(base)) {
    for (const name of MAIN_NAMES) {
      const main = await readSource(files, joinPath(folder, name));
      if (!main) continue;
      sources.push(main);
      services = mergeServices(parseComposeServices(main, env, []), services);
      break;
    }
  } else {
    for (const name of ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yml', 'docker-compose.override.yaml']) {
      const override = await readSource(files, joinPath(folder, name));
      if (!override || override.path === source.path) continue;
      sources.push(override);
      services = mergeServices(services, parseComposeServices(override, env, []));
      break;
    }
  }
  for (const service of services) await addEnvFiles(service, files, env, sources);
  const project: ComposeProject = { source, services, redis: new Map(), mongod: new Map(), elasticsearch: new Map(), sources };
  for (const service of services) {
    const redisArgument = redisConfigArgument(service.command);
    if (redisArgument) {
      const host = hostPathFor(service, redisArgument.text, folder);
      const file = host ? await readSource(files, host.path) : undefined;
      if (file) {
        const config = await loadRedisConfig(file, files, []);
        sources.push(...config.sources);
        project.redis.set(service.name, { config, via: redisArgument });
      } else project.redis.set(service.name, 'unreadable');
    }
    const mongoArgument = argumentAfter(service.command, '--config', '-f');
    if (mongoArgument) {
      const host = hostPathFor(service, mongoArgument.text, folder);
      const file = host ? await readSource(files, host.path) : undefined;
      if (file) {
        sources.push(file);
        project.mongod.set(service.name, { config: parseMongod(file, []), via: mongoArgument });
      } else project.mongod.set(service.name, 'unreadable');
    }
    const esHost =
      hostPathFor(service, '/usr/share/elasticsearch/config/elasticsearch.yml', folder) ??
      hostPathFor(service, '/usr/share/opensearch/config/opensearch.yml', folder);
    if (esHost) {
      const file = await readSource(files, esHost.path);
      if (file) {
        sources.push(file);
        project.elasticsearch.set(service.name, { config: parseEsYaml(file, []), via: esHost.mount });
      } else project.elasticsearch.set(service.name, 'unreadable');
    }
  }
  const firewall = await findFirewall(files, folder);
  if (firewall) {
    project.firewall = firewall;
    sources.push(firewall);
    const view = await readFirewallView(firewall, files);
    if (view) project.firewallView = view;
  }
  return project;
}

/** The compose model: what this family's loader produces and its checks read. */
export const composeModel = modelKey<ComposeProject>('compose');

export const composeFile: FormatHandler<ComposeProject> = {
  id: 'docker-compose',
  model: composeModel,
  label: text('compose.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => isComposeName(baseName),
  detectByContent: (head) =>
    /^services:[ \t]*$/m.test(head) && /^[ \t]+(image|build|ports):/m.test(head) && !/^apiVersion:/m.test(head) && judgeYaml(head) === 'fits',
  judgeContent: judgeYaml,
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const project = await loadComposeProject(source, context.files, problems);
    return { model: project, problems, sources: project.sources };
  },
};

export const composeFormats: FormatHandler<unknown>[] = [composeFile];
