import { pgHbaModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import type { PgHba } from '../formats';
import type { HbaToken } from '../hba';
import { reachable, recordReaches } from './reach';

/** `@admins` -> `@admins (alice, bob)`: the names the server reads from the list file. */
const namesOf = (column: HbaToken, members: HbaToken[]) =>
  column.text.includes('@') && !column.quoted ? `${column.text} (${members.map((member) => member.text).join(', ')})` : column.text;

export const hbaTrustAuth = defineCheck<PgHba>({
  rule: 'pg/hba-trust-auth',
  model: pgHbaModel,
  run(hba, report) {
    for (const reach of recordReaches(hba)) {
      const { record } = reach;
      if (record.method.text.toLowerCase() !== 'trust' || !reachable(reach)) continue;
      const local = record.type.text.toLowerCase() === 'local';
      const remote = reach.remote && hba.listen !== 'loopback' && hba.listen !== 'none';
      report(
        record.method.span,
        {
          who: local
            ? text('pg.who-local-accounts')
            : remote
              ? record.address
                ? text('pg.who-clients-from', { address: record.address.token.text })
                : text('pg.who-clients-from-network')
              : text('pg.who-host-processes'),
          database: namesOf(record.database, record.databases),
          user: namesOf(record.user, record.users),
        },
        {
          severity: remote ? 'error' : 'warning',
          suggestions: [{ title: local ? 'peer' : 'scram', edits: [{ span: record.method.span, newText: local ? 'peer' : 'scram-sha-256' }] }],
          related: remote && hba.listenSetting ? [{ span: hba.listenSetting.span, message: text('pg.listens-beyond-loopback-here') }] : [],
        },
      );
    }
  },
});
