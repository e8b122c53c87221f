import { pgHbaModel } from '../formats';
import { defineCheck, type FixSpec, text } from '../../../core/check';
import type { PgHba } from '../formats';
import { judgeRange, parseRange } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import { reachable, recordReaches } from './reach';

/** `all` in the address column matches every address of both families: judged as ::/0, "everything". */
const EVERY_ADDRESS = parseRange('::/0');

export const hbaOpenToAnyAddress = defineCheck<PgHba>({
  rule: 'pg/hba-open-to-any-address',
  model: pgHbaModel,
  run(hba, report, context) {
    if (hba.listen === 'loopback' || hba.listen === 'none') return;
    for (const reach of recordReaches(hba)) {
      const { record, contribution } = reach;
      const method = record.method.text.toLowerCase();
      // trust has its own rule, which names the address; reject closes rather than opens.
      if (method === 'reject' || method === 'trust' || !reachable(reach) || !record.address || !contribution) continue;
      const address = record.address;
      const parsed = address.kind === 'range' ? address.parsed : address.kind === 'all' ? EVERY_ADDRESS : undefined;
      if (!parsed) continue;
      const judgement = judgeRange(parsed, context.trusted, contribution);
      if (judgement.publicCount === 0n || (!judgement.intended && !judgement.veryWide)) continue;
      const { intended } = judgement;
      const suggestions: FixSpec[] = intended ? [{ title: 'replace', data: { intended }, edits: [{ span: address.token.span, newText: intended }] }] : [];
      report(
        address.token.span,
        {
          address: address.token.text,
          extent: judgement.everything
            ? text('pg.extent-every-address')
            : text('pg.extent-public-addresses', { count: judgement.publicCount.toLocaleString('en-US') }),
          hint: didYouMean(judgement),
        },
        {
          severity: intended ? 'error' : 'warning',
          suggestions,
          related: hba.listenSetting ? [{ span: hba.listenSetting.span, message: text('pg.listens-beyond-loopback-here') }] : [],
        },
      );
    }
  },
});
