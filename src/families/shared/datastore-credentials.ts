// Datastore credentials written into container environments: judged the same way for compose services
// and Kubernetes Pod templates. Both pass a lookup of the container's other variables.
import type { Localized } from '../../core/types';

/** The value of another variable of the same container (undefined when unset or not a literal). */
export type EnvLookup = (name: string) => string | undefined;

const truthy = (value: string | undefined) => value !== undefined && value !== '';

export interface AuthOffVariable {
  name: string;
  test(value: string | undefined, lookup: EnvLookup): boolean;
  problem: Localized;
}

/** Environment settings of the official images that switch authentication off. */
export const AUTH_OFF_VARIABLES: readonly AuthOffVariable[] = [
  { name: 'POSTGRES_HOST_AUTH_METHOD', test: (value) => value?.toLowerCase() === 'trust', problem: { en: 'POSTGRES_HOST_AUTH_METHOD=trust lets every client in without a password', ja: 'POSTGRES_HOST_AUTH_METHOD=trust により誰でもパスワードなしで接続できます' } },
  // docker-entrypoint.sh of the mysql image: any non-empty value counts, and a root password given alongside wins.
  { name: 'MYSQL_ALLOW_EMPTY_PASSWORD', test: (value, lookup) => truthy(value) && !truthy(lookup('MYSQL_ROOT_PASSWORD')), problem: { en: 'MYSQL_ALLOW_EMPTY_PASSWORD gives root an empty password', ja: 'MYSQL_ALLOW_EMPTY_PASSWORD により root のパスワードが空になります' } },
  { name: 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', test: (value, lookup) => truthy(value) && !truthy(lookup('MARIADB_ROOT_PASSWORD')), problem: { en: 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD gives root an empty password', ja: 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD により root のパスワードが空になります' } },
  { name: 'ALLOW_EMPTY_PASSWORD', test: (value) => /^(yes|true|1)$/i.test(value ?? ''), problem: { en: 'ALLOW_EMPTY_PASSWORD=yes runs the Bitnami image without a password', ja: 'ALLOW_EMPTY_PASSWORD=yes により Bitnami イメージがパスワードなしで動作します' } },
];

export function authOffVariable(name: string, value: string | undefined, lookup: EnvLookup): AuthOffVariable | undefined {
  return AUTH_OFF_VARIABLES.find((variable) => variable.name === name && variable.test(value, lookup));
}

// MYSQL_ALLOW_EMPTY_PASSWORD=1 and MYSQL_RANDOM_ROOT_PASSWORD=yes are switches, not passwords.
export const PASSWORD_VARIABLE = /^(?!.*(ALLOW_EMPTY|RANDOM_ROOT)).*(^|_)(PASSWORD|PASSWD|PASS|PWD)$/i;
export const USER_VARIABLE = /(^|_)(USER|USERNAME)$/i;
const COMMON = new Set(['password', 'passw0rd', 'password1', 'root', 'admin', 'admin123', 'administrator', 'example', 'secret', 'changeme', 'change_me', 'test', 'postgres', 'mysql', 'mariadb', 'redis', 'mongo', 'elastic', 'guest', 'minioadmin', 'letmein', 'qwerty', '123456', '1234567', '12345678', '123456789']);
const MIN_LENGTH = 8;

/** Why a literal password is weak, or undefined when it is not (empty values are the caller's business). */
export function passwordWeakness(value: string, users: readonly string[]): Localized | undefined {
  if (COMMON.has(value.toLowerCase())) return { en: `"${value}" is a default or commonly guessed password`, ja: `"${value}" は既定値やよく推測されるパスワードです` };
  if (users.includes(value)) return { en: 'it is the same as the user name', ja: 'ユーザ名と同じです' };
  if (value.length < MIN_LENGTH) return { en: `it has only ${value.length} characters`, ja: `${value.length} 文字しかありません` };
  return undefined;
}
