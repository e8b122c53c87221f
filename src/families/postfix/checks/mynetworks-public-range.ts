import { postfixModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import type { PostfixConfig } from '../config';
import { mynetworksEntries } from '../mynetworks';
import { type RangeJudgement, judgeRange } from '../../../net';
import { FirstMatch } from '../../shared/first-match';
import { didYouMean } from '../../shared/range-text';
import { itemSpan, relatedFor, removeItemEdit, serviceLabel } from './locate';

/** Partner hosts: at most this many public IPv4 addresses... */
const PARTNER_HOSTS_V4 = 8n;
/** ...or an IPv6 range with a longer prefix than this (smaller than a /56 site subnet). */
const PARTNER_PREFIX_V6 = 56;

/**
 * Postfix policy, not a width threshold: a small public range in mynetworks is usually a partner's or the
 * provider's mail servers, listed on purpose, so it is not reported unless it looks like a mistyped
 * private block or is very wide.
 */
function isPartnerHosts(judgement: RangeJudgement): boolean {
  return judgement.parsed.version === 4 ? judgement.publicCount <= PARTNER_HOSTS_V4 : judgement.parsed.prefix > PARTNER_PREFIX_V6;
}

export const mynetworksPublicRange = defineCheck<PostfixConfig>({
  rule: 'postfix/mynetworks-public-range',
  model: postfixModel,
  run(config, report, context) {
    for (const service of config.evaluatedServices) {
      const { value, entries } = mynetworksEntries(config, service);
      // First match wins: an entry only adds what earlier entries (including `!exclusions`) did not decide.
      // Host bits set: postfix/mynetworks-host-bits reports those, and they are left out here.
      const judged = entries.filter((entry) => entry.parsed && !entry.parsed.hostBitsSet);
      const decided = new FirstMatch(judged.map((entry) => entry.parsed!.range));
      for (const entry of judged) {
        const parsed = entry.parsed!;
        const contribution = decided.decide(parsed.range);
        if (entry.negated) continue;
        const judgement = judgeRange(parsed, context.trusted, contribution);
        if (judgement.exposed.isEmpty()) continue;
        const { intended, veryWide } = judgement;
        if (!intended && !veryWide && isPartnerHosts(judgement)) continue;
        const written = itemSpan(config, entry.item, value);
        // An entry in a pattern file is reported on the reference in mynetworks, pointing at the file's line.
        const span = entry.viaFile ? itemSpan(config, entry.viaFile, value) : written;
        if (!span || !written) continue;
        const removal = removeItemEdit(config, written);
        report(
          span,
          {
            token: entry.viaFile ? `${entry.text} (${entry.viaFile.text})` : entry.text,
            publicCount: judgement.publicCount.toLocaleString('en-US'),
            service: serviceLabel(value.origin.kind === 'override' ? service : undefined),
            hint: didYouMean(judgement),
          },
          {
            severity: intended || veryWide ? 'error' : 'warning',
            suggestions: [
              ...(intended && entry.item.span()
                ? [{ title: 'replace', data: { token: entry.text, intended }, edits: [{ span: written, newText: intended }] }]
                : []),
              ...(removal && entry.item.span() ? [{ title: 'remove', data: { token: entry.text }, edits: [removal] }] : []),
            ],
            related: [
              ...(entry.viaFile ? [{ span: written, message: text('postfix.related-listed-here', { token: entry.text }) }] : []),
              ...relatedFor(span, value, service),
            ],
          },
        );
      }
    }
  },
});
