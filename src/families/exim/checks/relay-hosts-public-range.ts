import { defineCheck, text } from '../../../core/check';
import { AddressSet, isLoopbackOnly, judgeRange, parseRange } from '../../../net';
import { splitList } from '../lists';
import { didYouMean } from '../../shared/range-text';
import { eximModel } from '../formats';
import type { EximConfig } from '../model';
import { relayItems } from '../relay';
import { removeListItem } from './locate';

/** Partner hosts: at most this many public IPv4 addresses, or an IPv6 prefix longer than /56 (as for Postfix's mynetworks). */
const PARTNER_HOSTS_V4 = 8n;
const PARTNER_PREFIX_V6 = 56;

/**
 * Whether Exim listens on loopback addresses only (local_interfaces; Debian's dc_local_interfaces). Items
 * may carry a port (`127.0.0.1.25`, `[::1]:25`); anything that is not an address means "not only loopback".
 */
export function listensOnLoopbackOnly(config: EximConfig): boolean {
  const setting = config.option('local_interfaces');
  if (!setting || setting.value.text.includes('$')) return false;
  const items = splitList(setting.value).map((item) => item.value.replace(/^\[(.*)\](?::\d+)?$/, '$1'));
  const ranges = items.map((item) => parseRange(item) ?? parseRange(item.replace(/\.\d+$/, '')));
  return ranges.length > 0 && ranges.every((range) => range !== undefined && isLoopbackOnly(AddressSet.of(range.range)));
}

export const relayHostsPublicRange = defineCheck<EximConfig>({
  rule: 'exim/relay-hosts-public-range',
  model: eximModel,
  run(config, report, context) {
    // Listening on loopback only, no outside client reaches the list today: a warning, not an error.
    const loopback = listensOnLoopbackOnly(config);
    for (const entry of relayItems(config)) {
      const judgements = entry.parsed.map((parsed) => judgeRange(parsed, context.trusted, entry.contribution.intersect(AddressSet.of(parsed.range))));
      const exposed = judgements.filter((judgement) => !judgement.exposed.isEmpty());
      if (!exposed.length) continue;
      const everything = exposed.some((judgement) => judgement.everything);
      const intended = exposed.find((judgement) => judgement.intended)?.intended;
      const veryWide = exposed.some((judgement) => judgement.veryWide);
      const partner = exposed.every((judgement) =>
        judgement.parsed.version === 4 ? judgement.publicCount <= PARTNER_HOSTS_V4 : judgement.parsed.prefix > PARTNER_PREFIX_V6,
      );
      if (!intended && !veryWide && partner) continue;
      const span = entry.item.raw.span() ?? entry.item.raw.firstSpan();
      if (!span) continue;
      const exact = entry.item.raw.span();
      const source = config.sourceOf(span.file);
      const publicCount = exposed.reduce((total, judgement) => total + judgement.publicCount, 0n);
      const token = entry.item.raw.text;
      // Removing the last positive item of a list that ends with a negative one would open it to everyone.
      const index = entry.siblings.indexOf(entry.item);
      const remaining = entry.siblings.filter((sibling) => sibling !== entry.item);
      const removable = !entry.implicitEverything && index >= 0 && !(remaining.length > 0 && remaining[remaining.length - 1]!.negated);
      report(
        span,
        {
          token,
          where: entry.list ? text('exim.in-named-list', { name: entry.list }) : text('exim.in-acl-hosts'),
          who: everything ? text('exim.every-address') : text('exim.public-count', { count: publicCount.toLocaleString('en-US') }),
          hint: entry.implicitEverything ? text('exim.ends-with-negation') : didYouMean({ ...(intended ? { intended } : {}) }),
          listening: loopback ? text('exim.loopback-only') : '',
        },
        {
          severity: (intended || veryWide) && !loopback ? 'error' : 'warning',
          suggestions: [
            ...(intended && exact && !entry.implicitEverything
              ? [{ title: 'replace', data: { token, intended }, edits: [{ span: exact, newText: intended }] }]
              : []),
            ...(exact && source && removable ? [{ title: 'remove', data: { token }, edits: [removeListItem(source, exact, entry.item.separator)] }] : []),
          ],
          related: entry.statement.verbSpan.file !== span.file ? [] : [{ span: entry.statement.verbSpan, message: text('exim.related-accept-here') }],
        },
      );
    }
  },
});
