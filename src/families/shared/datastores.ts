// Which family answers "does this datastore let clients in without credentials?" for each well-known kind
// of container, and the image environment switches of every family. Compose services and Kubernetes
// containers ask here; the answers live in the datastore families (redis/auth.ts, mongodb/auth.ts, ...).
import { text } from '../../core/check';
import {
  type AuthOffVariable,
  type AuthVerdict,
  type Container,
  type ContainerInputs,
  type EnvLookup,
  type MountedFile,
  authOffEvidence,
} from './datastore-auth';
import { BITNAMI_AUTH_OFF_VARIABLES } from './datastore-credentials';
import type { ServiceKind } from './well-known';
import type { RedisConfig } from '../redis/config';
import type { MongodConfig } from '../mongodb/config';
import type { EsConfig } from '../elasticsearch/formats';
import { redisAuthentication } from '../redis/auth';
import { mongodbAuthentication } from '../mongodb/auth';
import { MYSQL_AUTH_OFF_VARIABLES, mysqlAuthentication } from '../mysql/auth';
import { POSTGRESQL_AUTH_OFF_VARIABLES, postgresqlAuthentication } from '../postgresql/auth';
import { elasticsearchAuthentication } from '../elasticsearch/auth';

/**
 * Every image environment setting that switches authentication off, in the order findings list them. They are
 * judged for every container whatever its image: the variables name their image, and a renamed or private
 * copy of it reads them too.
 */
export const AUTH_OFF_VARIABLES: readonly AuthOffVariable[] = [...POSTGRESQL_AUTH_OFF_VARIABLES, ...MYSQL_AUTH_OFF_VARIABLES, ...BITNAMI_AUTH_OFF_VARIABLES];

/** The switch `name=value` turns on, or undefined when it turns none on. */
export function authOffVariable(name: string, value: string | undefined, lookup: EnvLookup): AuthOffVariable | undefined {
  return AUTH_OFF_VARIABLES.find((variable) => variable.name === name && variable.test(value, lookup));
}

/** Configuration files mounted into a container, by the datastore that reads them. */
export interface MountedConfigs {
  redis?: MountedFile<RedisConfig> | 'unreadable';
  mongodb?: MountedFile<MongodConfig> | 'unreadable';
  elasticsearch?: MountedFile<EsConfig> | 'unreadable';
}

const withFile = <Config>(container: Container, mounted: MountedFile<Config> | 'unreadable' | undefined): ContainerInputs<Config> =>
  mounted ? { ...container, mounted } : container;

/** memcached has no family: it has no configuration file and no authentication unless SASL is enabled. */
function memcachedAuthentication(container: Container): AuthVerdict {
  if (container.command.some((arg) => /^(-S|--enable-sasl)$/.test(arg.text))) return { open: 'no', evidence: [] };
  const span = (container.image ?? container.command[0])?.span ?? container.nameSpan;
  return { open: 'yes', evidence: [{ span, reason: text('datastore.memcached-no-sasl') }] };
}

type KindAuthentication = (container: Container, files: MountedConfigs) => AuthVerdict;

const BY_KIND: Partial<Record<ServiceKind, KindAuthentication>> = {
  redis: (container, files) => redisAuthentication({ container: withFile(container, files.redis) }),
  mongodb: (container, files) => mongodbAuthentication({ container: withFile(container, files.mongodb) }),
  mysql: (container) => mysqlAuthentication({ container }),
  postgresql: (container) => postgresqlAuthentication({ container }),
  elasticsearch: (container, files) => elasticsearchAuthentication({ container: withFile(container, files.elasticsearch) }),
  memcached: memcachedAuthentication,
};

// A switch's evidence carries the switch's own `problem` object, so the kinds' evidence of switches is told apart by identity.
const SWITCH_REASONS = new Set(AUTH_OFF_VARIABLES.map((variable) => variable.problem));

/**
 * Whether the datastore a container runs lets clients in without credentials: its kind's own judgement
 * (image defaults, command line, mounted file), then every environment switch in AUTH_OFF_VARIABLES order
 * (a kind's own switches included: they are listed with the others, not with its evidence).
 */
export function containerAuthentication(kind: ServiceKind | undefined, container: Container, files: MountedConfigs = {}): AuthVerdict {
  const verdict = kind ? BY_KIND[kind]?.(container, files) : undefined;
  const own = verdict?.open === 'yes' ? verdict.evidence.filter((item) => !SWITCH_REASONS.has(item.reason)) : [];
  const evidence = [...own, ...authOffEvidence(container, AUTH_OFF_VARIABLES)];
  return { open: evidence.length ? 'yes' : (verdict?.open ?? 'unknown'), evidence };
}
