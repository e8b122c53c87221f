// What a compose service is and how it is reachable: shared by the compose checks.
import type { Localized } from '../../../core/types';
import { type EditSpec, type RelatedSpec, type TextRef, text } from '../../../core/check';
import type { ComposeProject, ComposeService } from '../formats';
import type { PortEntry } from '../ports';
import { type WellKnown, parseImage, wellKnownImage, wellKnownPort, wellKnownProgram } from '../../shared/well-known';
import { reachOf } from '../../shared/listen-address';
import { assessRedis, protectedModeShields } from '../../redis/assess';
import { RedisConfig, directivesFromArguments } from '../../redis/config';
import { assessMongod } from '../../mongodb/formats';
import { AUTH_OFF_VARIABLES } from '../../shared/datastore-credentials';

export function serviceKind(service: ComposeService): WellKnown | undefined {
  if (service.image) {
    const known = wellKnownImage(service.image.text);
    if (known) return known;
  }
  const program = service.command?.[0] ?? service.entrypoint?.[0];
  const byProgram = program ? wellKnownProgram(program.text) : undefined;
  if (byProgram) return byProgram;
  if (service.image) return undefined;
  // A service built from a local Dockerfile: its well-known container port is the best evidence.
  for (const entry of service.ports) for (const port of entry.spec.containerPorts) {
    const known = wellKnownPort(port);
    if (known) return known;
  }
  return undefined;
}

export interface ExposedPort {
  entry: PortEntry;
  scope: 'all-interfaces' | 'public-address';
}

/** Published ports that bind every interface (no host address, 0.0.0.0, ::) or a public address. */
export function exposedPorts(service: ComposeService): ExposedPort[] {
  if (service.networkMode && service.networkMode.text !== 'bridge' && !service.networkMode.text.startsWith('default')) return [];
  const out: ExposedPort[] = [];
  for (const entry of service.ports) {
    if (entry.hostIpUnknown) continue;
    const host = entry.spec.hostIp;
    const reach = host === '' ? 'all-interfaces' : reachOf(host);
    if (reach === 'all-interfaces' || reach === 'public-address') out.push({ entry, scope: reach });
  }
  return out;
}

export function isHostNetwork(service: ComposeService): boolean {
  return service.networkMode?.text === 'host';
}

/** Reachable from other hosts: a port published beyond loopback, or the host's own network stack. */
export function serviceExposed(service: ComposeService): boolean {
  return isHostNetwork(service) || exposedPorts(service).length > 0;
}

const truthy = (value: string | undefined) => value !== undefined && value !== '';

export interface AuthState {
  disabled: boolean;
  reasons: Localized[];
  related: RelatedSpec[];
}

function env(service: ComposeService, name: string) {
  return service.environment.find((variable) => variable.name === name);
}

function flag(service: ComposeService, pattern: RegExp) {
  return service.command?.find((arg) => pattern.test(arg.text));
}

/** Whether the datastore in this service accepts clients without authentication, and the evidence. */
export function authState(project: ComposeProject, service: ComposeService, kind: WellKnown | undefined): AuthState {
  const reasons: Localized[] = [];
  const related: RelatedSpec[] = [];
  const evidence = (span: RelatedSpec['span'], en: string, ja: string) => {
    reasons.push({ en, ja });
    related.push({ span, message: { en, ja } });
  };
  const image = service.image ? parseImage(service.image.text) : undefined;
  const major = Number(/^(\d+)/.exec(image?.tag ?? '')?.[1] ?? NaN);
  switch (kind?.kind) {
    case 'redis': {
      const mounted = project.redis.get(service.name);
      if (mounted === 'unreadable') break;
      if (!mounted && !image?.official) break;
      // The official image is built with protected mode off; options after the file override it.
      const commandArgs = (service.command ?? []).map((arg) => ({ text: arg.text, span: arg.span }));
      const config = (mounted ? mounted.config : new RedisConfig([], [])).withDirectives(directivesFromArguments(commandArgs));
      const assessment = assessRedis(config, { protectedMode: !image?.official });
      if (!assessment.exposed || assessment.password || assessment.aclAuthentication || truthy(env(service, 'REDIS_PASSWORD')?.value)) break;
      const shields = protectedModeShields(assessment);
      if (shields === 'yes' || (shields === 'version' && !(major < 7))) break;
      if (mounted) {
        const where = assessment.protectedModeDirective ?? assessment.bind;
        if (where) evidence(where.span, `${mounted.config.sources[0]!.path.slice(mounted.config.sources[0]!.path.lastIndexOf('/') + 1)} sets ${where.name} ${where.args.map((arg) => arg.text).join(' ')} and no requirepass`, `${where.name} ${where.args.map((arg) => arg.text).join(' ')} が設定され、requirepass がありません`);
        else evidence(mounted.via.span, 'the mounted redis.conf sets no requirepass', 'マウントした redis.conf に requirepass がありません');
      } else if (assessment.protectedModeDirective) evidence(assessment.protectedModeDirective.span, 'the command line turns protected mode off and sets no password', 'コマンドラインで protected-mode を無効にし、パスワードを設定していません');
      else if (service.image) evidence(service.image.span, 'the official redis image runs with protected mode off and no password unless told otherwise', '公式 redis イメージは指定しない限り protected-mode 無効・パスワードなしで動作します');
      break;
    }
    case 'mongodb': {
      const mounted = project.mongod.get(service.name);
      if (mounted === 'unreadable') break;
      const byProgram = service.command?.[0]?.text === 'mongod';
      if (!image?.official && !byProgram) break;
      const args = service.command ?? [];
      if (args.some((arg) => /^--(auth|keyFile)(=|$)/.test(arg.text))) break;
      if (args.some((arg) => /^--bind_ip(=|$)/.test(arg.text)) && !args.some((arg) => arg.text === '--bind_ip_all')) {
        const value = argumentValue(args, '--bind_ip');
        if (value && value.split(',').every((part) => reachOf(part.trim()) === 'loopback')) break;
      }
      const user = env(service, 'MONGO_INITDB_ROOT_USERNAME') ?? env(service, 'MONGO_INITDB_ROOT_USERNAME_FILE');
      const password = env(service, 'MONGO_INITDB_ROOT_PASSWORD') ?? env(service, 'MONGO_INITDB_ROOT_PASSWORD_FILE');
      if (user && password && (password.value === undefined || password.value !== '')) break;
      if (mounted) {
        const assessment = assessMongod(mounted.config);
        if (assessment.authenticated) break;
        evidence(mounted.via.span, 'the mongod.conf it reads leaves security.authorization off', '読み込む mongod.conf で security.authorization が無効です');
      } else if (service.image) evidence(service.image.span, 'the official mongo image starts without access control unless MONGO_INITDB_ROOT_USERNAME/PASSWORD or --auth are given', '公式 mongo イメージは MONGO_INITDB_ROOT_USERNAME/PASSWORD や --auth がなければアクセス制御なしで起動します');
      else if (service.command?.[0]) evidence(service.command[0].span, 'mongod is started without --auth', 'mongod が --auth なしで起動されます');
      break;
    }
    case 'elasticsearch': {
      const setting = env(service, 'xpack.security.enabled') ?? env(service, 'XPACK_SECURITY_ENABLED');
      const disabledPlugin = env(service, 'DISABLE_SECURITY_PLUGIN') ?? env(service, 'plugins.security.disabled');
      const commandFlag = flag(service, /^-Expack\.security\.enabled=false$/);
      if (setting?.value?.toLowerCase() === 'false') evidence(setting.span, 'xpack.security.enabled is false in its environment', '環境変数で xpack.security.enabled が false です');
      else if (disabledPlugin?.value?.toLowerCase() === 'true') evidence(disabledPlugin.span, 'the OpenSearch security plugin is disabled in its environment', '環境変数で OpenSearch のセキュリティプラグインが無効です');
      else if (commandFlag) evidence(commandFlag.span, 'the command line sets xpack.security.enabled=false', 'コマンドラインで xpack.security.enabled=false が指定されています');
      else if (setting?.value?.toLowerCase() !== 'true') {
        const mounted = project.elasticsearch.get(service.name);
        const fileSetting = mounted && mounted !== 'unreadable' ? mounted.config.settings.get('xpack.security.enabled')?.values[0] : undefined;
        if (fileSetting?.text.toLowerCase() === 'false') evidence(fileSetting.span, 'the mounted elasticsearch.yml sets xpack.security.enabled: false', 'マウントした elasticsearch.yml で xpack.security.enabled: false です');
        else if (!fileSetting && image?.name === 'elasticsearch' && (major === 6 || major === 7))
          evidence(service.image!.span, `Elasticsearch ${major}.x runs without security unless xpack.security.enabled is set to true`, `Elasticsearch ${major}.x は xpack.security.enabled を true にしない限りセキュリティなしで動作します`);
      }
      break;
    }
    case 'mysql': {
      const skip = flag(service, /^--skip[-_]grant[-_]tables$/);
      if (skip) evidence(skip.span, 'the command line passes --skip-grant-tables', 'コマンドラインで --skip-grant-tables が指定されています');
      break;
    }
    case 'memcached': {
      if (!flag(service, /^(-S|--enable-sasl)$/)) evidence((service.image ?? service.command?.[0])?.span ?? service.nameSpan, 'memcached has no authentication unless SASL (-S) is enabled', 'memcached は SASL（-S）を有効にしない限り認証がありません');
      break;
    }
  }
  for (const { name, test, problem } of AUTH_OFF_VARIABLES) {
    const variable = env(service, name);
    if (variable && test(variable.value, (other) => env(service, other)?.value)) evidence(variable.span, problem.en, problem.ja);
  }
  return { disabled: reasons.length > 0, reasons, related };
}


function argumentValue(args: { text: string }[], flagName: string): string | undefined {
  const index = args.findIndex((arg) => arg.text === flagName || arg.text.startsWith(`${flagName}=`));
  if (index < 0) return undefined;
  const arg = args[index]!.text;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1]?.text;
}

/** The message part saying that Docker's published ports bypass the workspace's ufw/iptables rules. */
export function firewallNote(project: ComposeProject): { data: TextRef | string; related: RelatedSpec[] } {
  const firewall = project.firewall;
  if (!firewall) return { data: '', related: [] };
  const name = firewall.path.slice(firewall.path.lastIndexOf('/') + 1);
  return {
    data: text('compose.firewall-bypassed', { file: name }),
    related: [{ span: { file: firewall.path, start: 0, end: Math.max(0, firewall.lineEnd(0)) }, message: text('compose.firewall-rules-not-applied') }],
  };
}

/** Publishes the port on loopback only: `127.0.0.1:` before a short entry, `host_ip: 127.0.0.1` in a long one. */
export function bindLoopbackEdit(entry: PortEntry, project: ComposeProject): EditSpec | undefined {
  const source = project.sources.find((file) => file.path === entry.span.file);
  if (!source) return undefined;
  if (entry.syntax === 'long') {
    if (entry.hostIpSpan) return { span: entry.hostIpSpan, newText: '127.0.0.1' };
    if (entry.longFirstLineEnd === undefined || entry.longKeyColumn === undefined) return undefined;
    return { span: { file: source.path, start: entry.longFirstLineEnd, end: entry.longFirstLineEnd }, newText: `\n${' '.repeat(entry.longKeyColumn)}host_ip: 127.0.0.1` };
  }
  const written = source.text.slice(entry.contentSpan.start, entry.contentSpan.end);
  if (written.includes('$')) return undefined;
  const host = entry.spec.hostIp;
  let replacement: string;
  if (host === '') replacement = entry.spec.hostPort === '' ? `127.0.0.1::${written}` : `127.0.0.1:${written}`;
  else if (written.startsWith(`[${host}]:`)) replacement = `127.0.0.1:${written.slice(host.length + 3)}`;
  else if (written.startsWith(`${host}:`)) replacement = `127.0.0.1:${written.slice(host.length + 1)}`;
  else return undefined;
  // An unquoted value gains quotes: YAML 1.1 readers take 22:22-like plain scalars for base-60 numbers.
  return entry.quoted ? { span: entry.contentSpan, newText: replacement } : { span: entry.span, newText: `"${replacement}"` };
}

