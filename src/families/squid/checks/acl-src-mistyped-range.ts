// squid/acl-src-mistyped-range: an `acl ... src` entry that reaches into public space where a private block was
// meant (172.0.0.0/8 for 172.16.0.0/12, 192.168.0.0/8 for 192.168.0.0/16): Debian's `localnet` written with a
// typo lets strangers in wherever localnet is allowed (the mistake of case 21, on a proxy).
import { squidModel } from '../formats';
import { defineCheck } from '../../../core/check';
import { judgeRange } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import type { SquidConfig } from '../model';

export const aclSrcMistypedRange = defineCheck<SquidConfig>({
  rule: 'squid/acl-src-mistyped-range',
  model: squidModel,
  run(config, report, context) {
    for (const acl of config.acls.values()) {
      if (acl.type !== 'src') continue;
      for (const entry of acl.entries) {
        if (!entry.parsed || entry.all) continue;
        const judged = judgeRange(entry.parsed, context.trusted);
        if (!judged.intended || judged.exposed.isEmpty()) continue;
        // An entry read from a "file" is reported on the word naming the file; it is fixed in that file.
        report(
          entry.viaFile ?? entry.span,
          { name: acl.name, range: entry.text, publicCount: judged.publicCount.toLocaleString('en-US'), hint: didYouMean(judged) },
          {
            suggestions: !entry.viaFile
              ? [{ title: 'replace', data: { range: entry.text, intended: judged.intended }, edits: [{ span: entry.span, newText: judged.intended }] }]
              : [],
          },
        );
      }
    }
  },
});
