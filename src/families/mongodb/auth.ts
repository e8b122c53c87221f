// Whether mongod lets clients in without credentials: from mongod.conf on its own, or from a container that
// runs mongod (the official image's defaults, its command line, MONGO_INITDB_* variables, a mounted mongod.conf).
import { text } from '../../core/check';
import type { AuthEvidence, AuthVerdict, DatastoreInputs, WrittenValue } from '../shared/datastore-auth';
import { parseImage } from '../shared/well-known';
import { beyondLoopback, reachOf } from '../shared/listen-address';
import type { MongodConfig } from './config';

export interface MongodAssessment {
  /** The value that opens the server beyond loopback (bindIp entry or bindIpAll). */
  exposedBy?: { text: string; span: MongodConfig['bindIp'] & {} };
  /** Access control is on: authorization enabled, or internal authentication (keyFile, x509), which implies it. */
  authenticated: boolean;
}

export function assessMongod(config: MongodConfig): MongodAssessment {
  let exposedBy: MongodAssessment['exposedBy'];
  if (config.bindIpAll && /^(true|1|yes)$/i.test(config.bindIpAll.text)) exposedBy = { text: 'bindIpAll', span: config.bindIpAll };
  else if (config.bindIp) {
    // net.bindIp: comma-separated addresses, host names and socket paths; absent means localhost (3.6+).
    let offset = 0;
    for (const part of config.bindIp.text.split(',')) {
      const trimmed = part.trim();
      const start = config.bindIp.span.start + offset + part.indexOf(trimmed);
      offset += part.length + 1;
      const hostName = reachOf(trimmed) === 'unknown' && !trimmed.startsWith('/') && trimmed !== '' && trimmed.toLowerCase() !== 'localhost';
      if (beyondLoopback(trimmed) || hostName) {
        exposedBy = { text: trimmed, span: { text: trimmed, span: { file: config.bindIp.span.file, start, end: start + trimmed.length } } };
        break;
      }
    }
  }
  const authorization = config.authorization?.text.toLowerCase() === 'enabled';
  const internal = config.keyFile !== undefined || /x509/i.test(config.clusterAuthMode?.text ?? '');
  const noauth = config.noauth !== undefined && /^(true|1|yes)$/i.test(config.noauth.text);
  return { ...(exposedBy ? { exposedBy } : {}), authenticated: !noauth && (authorization || internal) };
}

export interface MongodbAuthentication extends AuthVerdict {
  /** For a file on its own: the value that opens the server beyond loopback. */
  exposedBy?: MongodAssessment['exposedBy'];
}

/** `--flag value` or `--flag=value`. */
function argumentValue(args: readonly WrittenValue[], flagName: string): string | undefined {
  const index = args.findIndex((arg) => arg.text === flagName || arg.text.startsWith(`${flagName}=`));
  if (index < 0) return undefined;
  const arg = args[index]!.text;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1]?.text;
}

/** Whether mongod asks clients to authenticate, from its mongod.conf or from the container that runs it. */
export function mongodbAuthentication(inputs: DatastoreInputs<MongodConfig>): MongodbAuthentication {
  if ('file' in inputs) {
    const { file } = inputs;
    const assessment = assessMongod(file);
    if (!assessment.exposedBy || assessment.authenticated) return { open: 'no', evidence: [] };
    const evidence: AuthEvidence[] = file.authorization ? [{ span: file.authorization.span, reason: text('mongodb.access-control-off-here') }] : [];
    return { open: 'yes', evidence, exposedBy: assessment.exposedBy };
  }
  const { container } = inputs;
  const { mounted, command: args } = container;
  if (mounted === 'unreadable') return { open: 'unknown', evidence: [] };
  const image = container.image ? parseImage(container.image.text) : undefined;
  const program = args[0]?.text === 'mongod' ? args[0] : undefined;
  if (!image?.official && !program) return { open: 'unknown', evidence: [] };
  if (args.some((arg) => /^--(auth|keyFile)(=|$)/.test(arg.text))) return { open: 'no', evidence: [] };
  if (args.some((arg) => /^--bind_ip(=|$)/.test(arg.text)) && !args.some((arg) => arg.text === '--bind_ip_all')) {
    const value = argumentValue(args, '--bind_ip');
    if (value && value.split(',').every((part) => reachOf(part.trim()) === 'loopback')) return { open: 'no', evidence: [] };
  }
  // The official image's entrypoint creates this root user and turns access control on.
  const user = container.env('MONGO_INITDB_ROOT_USERNAME') ?? container.env('MONGO_INITDB_ROOT_USERNAME_FILE');
  const password = container.env('MONGO_INITDB_ROOT_PASSWORD') ?? container.env('MONGO_INITDB_ROOT_PASSWORD_FILE');
  if (user && password && (password.value === undefined || password.value !== '')) return { open: 'no', evidence: [] };
  if (mounted) {
    if (assessMongod(mounted.config).authenticated) return { open: 'no', evidence: [] };
    return { open: 'yes', evidence: [{ span: mounted.via.span, reason: text('mongodb.mounted-file-authorization-off') }] };
  }
  if (container.image) return { open: 'yes', evidence: [{ span: container.image.span, reason: text('mongodb.official-image-no-access-control') }] };
  return program ? { open: 'yes', evidence: [{ span: program.span, reason: text('mongodb.started-without-auth') }] } : { open: 'unknown', evidence: [] };
}
