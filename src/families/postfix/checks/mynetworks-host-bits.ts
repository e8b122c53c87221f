import { postfixModel } from '../formats';
import { defineCheck } from '../../../core/check';
import type { PostfixConfig } from '../config';
import { mynetworksEntries } from '../mynetworks';
import { formatRange, likelyIntended, writtenNetwork } from '../../../net';
import { itemSpan, relatedFor, serviceLabel } from './locate';

export const mynetworksHostBits = defineCheck<PostfixConfig>({
  rule: 'postfix/mynetworks-host-bits',
  model: postfixModel,
  run(config, report) {
    for (const service of config.evaluatedServices) {
      const { value, entries } = mynetworksEntries(config, service);
      for (const entry of entries) {
        const parsed = entry.parsed;
        if (!parsed?.hostBitsSet) continue;
        const span = itemSpan(config, entry.item, value);
        if (!span) continue;
        // Postfix's own warning proposes the masked (wider) range; we propose the narrower one written.
        const intended = likelyIntended(parsed) ?? formatRange(writtenNetwork(parsed));
        report(
          span,
          { token: entry.text, masked: formatRange(parsed.range), intended, service: serviceLabel(value.origin.kind === 'override' ? service : undefined) },
          {
            suggestions: entry.item.span() ? [{ title: 'replace', edits: [{ span, newText: intended }] }] : [],
            related: relatedFor(span, value, service),
          },
        );
      }
    }
  },
});
