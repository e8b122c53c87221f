import { pgHbaModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import type { PgHba } from '../formats';
import { reachable, recordReaches } from './reach';

// hostssl and hostgssenc records only match encrypted connections; host, hostnossl and hostnogssenc
// also match plain TCP, where the `password` method sends the password as it was typed.
const UNENCRYPTED = new Set(['host', 'hostnossl', 'hostnogssenc']);

export const hbaCleartextPassword = defineCheck<PgHba>({
  rule: 'pg/hba-cleartext-password',
  model: pgHbaModel,
  run(hba, report) {
    if (hba.listen === 'loopback' || hba.listen === 'none') return;
    for (const reach of recordReaches(hba)) {
      const { record } = reach;
      const type = record.type.text.toLowerCase();
      if (record.method.text.toLowerCase() !== 'password' || !UNENCRYPTED.has(type) || !reach.remote || !reachable(reach)) continue;
      report(
        record.method.span,
        { type: record.type.text, address: record.address?.token.text ?? '' },
        {
          suggestions: [{ title: 'scram', edits: [{ span: record.method.span, newText: 'scram-sha-256' }] }],
          related: hba.listenSetting ? [{ span: hba.listenSetting.span, message: text('pg.listens-beyond-loopback-here') }] : [],
        },
      );
    }
  },
});
