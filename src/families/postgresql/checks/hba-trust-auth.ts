import { pgHbaModel } from '../formats';
import { defineCheck } from '../../../core/check';
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
            ? { en: 'every local OS account connecting through the Unix socket', ja: 'Unix ソケットで接続するすべてのローカル OS アカウント' }
            : remote
              ? { en: `every client from ${record.address?.token.text ?? 'the network'}`, ja: `${record.address?.token.text ?? 'ネットワーク'} からのすべてのクライアント` }
              : { en: 'every process on this host', ja: 'このホスト上のすべてのプロセス' },
          database: namesOf(record.database, record.databases),
          user: namesOf(record.user, record.users),
        },
        {
          severity: remote ? 'error' : 'warning',
          suggestions: [{ title: local ? 'peer' : 'scram', edits: [{ span: record.method.span, newText: local ? 'peer' : 'scram-sha-256' }] }],
          related: remote && hba.listenSetting ? [{ span: hba.listenSetting.span, message: { en: 'the server listens beyond loopback here', ja: 'ここでループバック外での待ち受けが設定されています' } }] : [],
        },
      );
    }
  },
});
