import { pgHbaModel } from '../formats';
import { defineCheck, type FixSpec } from '../../../core/check';
import type { PgHba } from '../formats';
import { AddressSet, likelyIntended, publicPart } from '../../../net';
import { reachable, recordReaches } from './reach';

const WIDE_PUBLIC_V4 = 256n;

export const hbaOpenToAnyAddress = defineCheck<PgHba>({
  rule: 'pg/hba-open-to-any-address',
  model: pgHbaModel,
  run(hba, report, context) {
    if (hba.listen === 'loopback' || hba.listen === 'none') return;
    const trusted = AddressSet.parse(context.settings.trustedNetworks);
    for (const reach of recordReaches(hba)) {
      const { record, contribution } = reach;
      const method = record.method.text.toLowerCase();
      // trust has its own rule, which names the address; reject closes rather than opens.
      if (method === 'reject' || method === 'trust' || !reachable(reach) || !record.address || !contribution) continue;
      const address = record.address;
      const exposed = publicPart(contribution).subtract(trusted);
      if (exposed.isEmpty()) continue;
      const intended = address.kind === 'range' ? likelyIntended(address.parsed) : undefined;
      const everything = address.kind === 'all' || (address.kind === 'range' && address.parsed.prefix === 0);
      const v4 = address.kind === 'range' && address.parsed.version === 4;
      const wide = everything || (v4 ? exposed.size() >= WIDE_PUBLIC_V4 : address.kind === 'range' && address.parsed.prefix <= 64);
      if (!intended && !wide) continue;
      const suggestions: FixSpec[] = intended ? [{ title: 'replace', data: { intended }, edits: [{ span: address.token.span, newText: intended }] }] : [];
      report(
        address.token.span,
        {
          address: address.token.text,
          extent: everything
            ? { en: 'every address on the internet', ja: 'インターネット上のすべてのアドレス' }
            : { en: `${exposed.size().toLocaleString('en-US')} public addresses`, ja: `${exposed.size().toLocaleString('en-US')} 個のグローバルアドレス` },
          hint: intended ? { en: ` Did you mean the private block ${intended}?`, ja: ` 意図したのはプライベート範囲 ${intended} ではありませんか。` } : { en: '', ja: '' },
        },
        {
          severity: intended ? 'error' : 'warning',
          suggestions,
          related: hba.listenSetting ? [{ span: hba.listenSetting.span, message: { en: 'the server listens beyond loopback here', ja: 'ここでループバック外での待ち受けが設定されています' } }] : [],
        },
      );
    }
  },
});
