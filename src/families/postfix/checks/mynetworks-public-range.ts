import { defineCheck } from '../../../core/check';
import type { PostfixConfig } from '../config';
import { mynetworksEntries } from '../mynetworks';
import { AddressSet, likelyIntended, publicPart } from '../../../net';
import { itemSpan, relatedFor, removeItemEdit, serviceLabel } from './locate';

const WIDE_V4 = 65536n;
const PARTNER_HOSTS_V4 = 8n;

export const mynetworksPublicRange = defineCheck<PostfixConfig>({
  rule: 'postfix/mynetworks-public-range',
  model: 'postfix',
  run(config, report, context) {
    const trusted = AddressSet.parse(context.settings.trustedNetworks);
    for (const service of config.evaluatedServices) {
      const { value, entries } = mynetworksEntries(config, service);
      // First match wins: an entry only adds what earlier entries (including `!exclusions`) did not decide.
      let decided = AddressSet.empty;
      for (const entry of entries) {
        const parsed = entry.parsed;
        if (!parsed || parsed.hostBitsSet) continue; // host bits: postfix/mynetworks-host-bits
        const contribution = AddressSet.of(parsed.range).subtract(decided);
        decided = decided.union(AddressSet.of(parsed.range));
        if (entry.negated) continue;
        const exposed = publicPart(contribution).subtract(trusted);
        if (exposed.isEmpty()) continue;
        const intended = likelyIntended(parsed);
        const size = exposed.size();
        const wide = parsed.prefix === 0 || (parsed.version === 4 ? size >= WIDE_V4 : parsed.prefix <= 32);
        if (!intended && !wide && (parsed.version === 4 ? size <= PARTNER_HOSTS_V4 : parsed.prefix > 56)) continue;
        const written = itemSpan(config, entry.item, value);
        // An entry in a pattern file is reported on the reference in mynetworks, pointing at the file's line.
        const span = entry.viaFile ? itemSpan(config, entry.viaFile, value) : written;
        if (!span || !written) continue;
        const removal = removeItemEdit(config, written);
        report(
          span,
          {
            token: entry.viaFile ? `${entry.text} (${entry.viaFile.text})` : entry.text,
            publicCount: size.toLocaleString('en-US'),
            service: serviceLabel(value.origin.kind === 'override' ? service : undefined),
            hint: intended
              ? { en: ` Did you mean the private block ${intended}?`, ja: ` 意図したのはプライベート範囲 ${intended} ではありませんか。` }
              : { en: '', ja: '' },
          },
          {
            severity: intended || wide ? 'error' : 'warning',
            suggestions: [
              ...(intended && entry.item.span() ? [{ title: 'replace', data: { token: entry.text, intended }, edits: [{ span: written, newText: intended }] }] : []),
              ...(removal && entry.item.span() ? [{ title: 'remove', data: { token: entry.text }, edits: [removal] }] : []),
            ],
            related: [
              ...(entry.viaFile ? [{ span: written, message: { en: `${entry.text} is listed here`, ja: `${entry.text} はここに書かれています` } }] : []),
              ...relatedFor(span, value, service),
            ],
          },
        );
      }
    }
  },
});
