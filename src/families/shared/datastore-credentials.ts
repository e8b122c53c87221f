// Datastore credentials written into container environments: judged the same way for compose services
// and Kubernetes Pod templates.
import { type TextRef, text } from '../../core/check';
import type { AuthOffVariable } from './datastore-auth';

/** Bitnami's images (redis, mysql, postgresql, mongodb, ...) share this switch. */
export const BITNAMI_AUTH_OFF_VARIABLES: readonly AuthOffVariable[] = [
  { name: 'ALLOW_EMPTY_PASSWORD', test: (value) => /^(yes|true|1)$/i.test(value ?? ''), problem: text('datastore.bitnami-allow-empty-password') },
];

// MYSQL_ALLOW_EMPTY_PASSWORD=1 and MYSQL_RANDOM_ROOT_PASSWORD=yes are switches, not passwords.
export const PASSWORD_VARIABLE = /^(?!.*(ALLOW_EMPTY|RANDOM_ROOT)).*(^|_)(PASSWORD|PASSWD|PASS|PWD)$/i;
export const USER_VARIABLE = /(^|_)(USER|USERNAME)$/i;
const COMMON = new Set([
  'password',
  'passw0rd',
  'password1',
  'root',
  'admin',
  'admin123',
  'administrator',
  'example',
  'secret',
  'changeme',
  'change_me',
  'test',
  'postgres',
  'mysql',
  'mariadb',
  'redis',
  'mongo',
  'elastic',
  'guest',
  'minioadmin',
  'letmein',
  'qwerty',
  '123456',
  '1234567',
  '12345678',
  '123456789',
]);
const MIN_LENGTH = 8;

/** Why a literal password is weak, or undefined when it is not (empty values are the caller's business). */
export function passwordWeakness(value: string, users: readonly string[]): TextRef | undefined {
  if (COMMON.has(value.toLowerCase())) return text('datastore.common-password', { value });
  if (users.includes(value)) return text('datastore.password-is-user-name');
  if (value.length < MIN_LENGTH) return text('datastore.password-too-short', { length: value.length });
  return undefined;
}
