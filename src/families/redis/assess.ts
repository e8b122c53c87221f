// Who can reach a Redis server and whether it asks for a password, from its effective directives.
import type { RedisArg, RedisConfig, RedisDirective } from './config';
import { beyondLoopback } from '../shared/listen-address';

export interface RedisAssessment {
  /** False when `port 0` turns TCP off (unix socket only) and no TLS port is set. */
  tcp: boolean;
  /** The effective `bind` line; undefined means every interface. */
  bind?: RedisDirective;
  /** Bind addresses beyond loopback (empty when bound to loopback only). */
  exposedAddresses: RedisArg[];
  /** True when the server listens beyond loopback. */
  exposed: boolean;
  /** A non-empty `requirepass`, or ACL users replacing the passwordless default user. */
  password?: RedisArg;
  aclAuthentication?: RedisDirective;
  protectedMode: boolean;
  protectedModeDirective?: RedisDirective;
  /** True when a directive only Redis 7 accepts appears (listpack settings). */
  redis7: boolean;
}

const REDIS7_ONLY = /^(hash|zset)-max-listpack-(entries|value)$|^list-max-listpack-size$|^enable-(protected|debug|module)-command$/;

/** `defaults.protectedMode`: redis.conf's default is yes; the official Docker image is built with it off. */
export function assessRedis(config: RedisConfig, defaults: { protectedMode: boolean } = { protectedMode: true }): RedisAssessment {
  const port = config.last('port');
  const tlsPort = config.last('tls-port');
  const tcp = !(port?.args[0]?.text === '0') || (tlsPort !== undefined && tlsPort.args[0]?.text !== '0');
  const bind = config.last('bind');
  const exposedAddresses = bind ? bind.args.filter((arg) => beyondLoopback(arg.text.replace(/^-/, ''))) : [];
  const exposed = tcp && (bind === undefined || exposedAddresses.length > 0);
  const requirepass = config.last('requirepass');
  const password = requirepass?.args[0] && requirepass.args[0].text !== '' ? requirepass.args[0] : undefined;
  const aclfile = config.last('aclfile');
  const defaultUser = [...config.all('user')].reverse().find((user) => user.args[0]?.text === 'default');
  const defaultUserLocked =
    defaultUser !== undefined &&
    (defaultUser.args.some((arg) => arg.text === 'off') ||
      (defaultUser.args.some((arg) => /^[>#]/.test(arg.text)) && !defaultUser.args.some((arg) => arg.text === 'nopass')));
  const aclAuthentication = aclfile ?? (defaultUserLocked ? defaultUser : undefined);
  const protectedModeDirective = config.last('protected-mode');
  const protectedMode = protectedModeDirective ? protectedModeDirective.args[0]?.text.toLowerCase() !== 'no' : defaults.protectedMode;
  const redis7 = config.directives.some((directive) => REDIS7_ONLY.test(directive.name));
  return {
    tcp,
    ...(bind ? { bind } : {}),
    exposedAddresses,
    exposed,
    ...(password ? { password } : {}),
    ...(aclAuthentication ? { aclAuthentication } : {}),
    protectedMode,
    ...(protectedModeDirective ? { protectedModeDirective } : {}),
    redis7,
  };
}

/**
 * Whether protected mode shields a passwordless server: Redis 7 refuses non-loopback clients whenever the
 * default user has no password; Redis 6 and earlier only when no `bind` is set and no password exists.
 * 'version' means the answer depends on the Redis version (explicit bind, protected mode on, unknown version).
 */
export function protectedModeShields(assessment: RedisAssessment): 'yes' | 'no' | 'version' {
  if (!assessment.protectedMode) return 'no';
  if (!assessment.bind || assessment.redis7) return 'yes';
  return 'version';
}

/** The sample password in redis.conf's comments, and passwords short enough to guess at Redis's speed. */
export function weakRedisPassword(password: string): boolean {
  return password === 'foobared' || password.length < 16;
}
