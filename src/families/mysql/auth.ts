// Whether MySQL/MariaDB checks privileges at all: skip-grant-tables in an option file or on the command
// line lets every client in as any user; the official images' *_ALLOW_EMPTY_* variables leave root without
// a password.
import { text } from '../../core/check';
import { type AuthOffVariable, type AuthVerdict, type Container, authOffEvidence, truthy } from '../shared/datastore-auth';
import { type MysqlConfig, effectiveServerOption } from './formats';
import { type MysqlOption, optionEnabled } from './option-file';

/** docker-entrypoint.sh of the mysql and mariadb images: any non-empty value counts, and a root password given alongside wins. */
export const MYSQL_AUTH_OFF_VARIABLES: readonly AuthOffVariable[] = [
  {
    name: 'MYSQL_ALLOW_EMPTY_PASSWORD',
    test: (value, lookup) => truthy(value) && !truthy(lookup('MYSQL_ROOT_PASSWORD')),
    problem: text('mysql.allow-empty-password'),
  },
  {
    name: 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD',
    test: (value, lookup) => truthy(value) && !truthy(lookup('MARIADB_ROOT_PASSWORD')),
    problem: text('mysql.allow-empty-root-password'),
  },
];

export interface MysqlAuthentication extends AuthVerdict {
  /** For a file on its own: the skip-grant-tables option that takes effect. */
  skipGrantTables?: MysqlOption;
}

/** Whether the server asks clients for credentials, from its option files or from the container that runs it. */
export function mysqlAuthentication(inputs: { file: MysqlConfig } | { container: Container }): MysqlAuthentication {
  if ('file' in inputs) {
    const option = effectiveServerOption(inputs.file, 'skip_grant_tables');
    return option && optionEnabled(option) ? { open: 'yes', evidence: [], skipGrantTables: option } : { open: 'no', evidence: [] };
  }
  const { container } = inputs;
  const skip = container.command.find((arg) => /^--skip[-_]grant[-_]tables$/.test(arg.text));
  const evidence = [
    ...(skip ? [{ span: skip.span, reason: text('mysql.command-line-skip-grant-tables') }] : []),
    ...authOffEvidence(container, MYSQL_AUTH_OFF_VARIABLES),
  ];
  return { open: evidence.length ? 'yes' : 'unknown', evidence };
}
