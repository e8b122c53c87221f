// Whether a PostgreSQL container lets clients in without a password: the official image writes
// `host all all all <method>` into pg_hba.conf from POSTGRES_HOST_AUTH_METHOD, and `trust` asks nobody for
// one. (pg_hba.conf itself is judged record by record by this family's checks: hba-trust-auth and others.)
import { text } from '../../core/check';
import { type AuthOffVariable, type AuthVerdict, type Container, authOffEvidence } from '../shared/datastore-auth';

export const POSTGRESQL_AUTH_OFF_VARIABLES: readonly AuthOffVariable[] = [
  { name: 'POSTGRES_HOST_AUTH_METHOD', test: (value) => value?.toLowerCase() === 'trust', problem: text('pg.host-auth-method-trust') },
];

/** Whether the server in a container asks clients for a password (the image's environment settings). */
export function postgresqlAuthentication(inputs: { container: Container }): AuthVerdict {
  const evidence = authOffEvidence(inputs.container, POSTGRESQL_AUTH_OFF_VARIABLES);
  return { open: evidence.length ? 'yes' : 'unknown', evidence };
}
