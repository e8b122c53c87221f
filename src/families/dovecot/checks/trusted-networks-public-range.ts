// dovecot/trusted-networks-public-range: login_trusted_networks holding public addresses by mistake (172.0.0.0/8
// for 172.16.0.0/12) or a very wide public block. login-common treats a client from these networks as secured
// (clear-text passwords allowed without TLS) and lets it name another client address (IMAP ID x-originating-ip,
// XCLIENT), so per-address login penalties and IP checks no longer see the real client.
import { dovecotModel } from '../formats';
import { defineCheck } from '../../../core/check';
import type { Span } from '../../../core/types';
import { parseRange, judgeRange } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import type { DovecotConfig, DovecotSetting } from '../model';
import { connectionOf } from '../listeners';

/** Each network of the value with its exact span when the value was written on one line as it reads. */
function entries(setting: DovecotSetting): Array<{ text: string; span: Span }> {
  const exact = (setting.form === 'plain' || setting.form === 'quoted') && setting.valueSpan.end - setting.valueSpan.start === setting.value.length;
  const out: Array<{ text: string; span: Span }> = [];
  for (const match of setting.value.matchAll(/[^\s,]+/g)) {
    const start = setting.valueSpan.start + match.index;
    out.push({ text: match[0], span: exact ? { file: setting.valueSpan.file, start, end: start + match[0].length } : setting.span });
  }
  return out;
}

export const trustedNetworksPublicRange = defineCheck<DovecotConfig>({
  rule: 'dovecot/trusted-networks-public-range',
  model: dovecotModel,
  run(config, report, context) {
    const seen = new Set<DovecotSetting>();
    for (const filter of config.filters()) {
      const connection = connectionOf(filter);
      const setting = connection && config.decide('login_trusted_networks', connection).setting;
      if (!setting || seen.has(setting)) continue;
      seen.add(setting);
      for (const entry of entries(setting)) {
        const parsed = parseRange(entry.text);
        if (!parsed) continue;
        const judged = judgeRange(parsed, context.trusted);
        if (!(judged.intended || judged.veryWide)) continue;
        const exact = entry.span !== setting.span;
        report(
          entry.span,
          { range: entry.text, publicCount: judged.publicCount.toLocaleString('en-US'), hint: didYouMean(judged) },
          {
            severity: judged.intended || judged.everything ? 'error' : 'warning',
            suggestions:
              judged.intended && exact
                ? [{ title: 'replace', data: { range: entry.text, intended: judged.intended }, edits: [{ span: entry.span, newText: judged.intended }] }]
                : [],
          },
        );
      }
    }
  },
});
