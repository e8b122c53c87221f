// firewalld/trusted-zone-bound-to-public-sources: a zone whose target accepts everything (the trusted zone,
// or target="ACCEPT") is bound to sources that hold public addresses: every port of the host, Remote Desktop
// and databases included, is open to them. Error when the range is mistyped or very wide, else a warning.
import { defineCheck, text } from '../../../core/check';
import { judgeRangeText } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import { firewalldModel } from '../formats';
import { formatCount } from './support';

export const trustedZoneBoundToPublicSources = defineCheck({
  rule: 'firewalld/trusted-zone-bound-to-public-sources',
  model: firewalldModel,
  run(config, report, context) {
    const zone = config.zone;
    if (!zone || zone.target.value !== 'ACCEPT') return;
    for (const source of zone.sources) {
      if (source.kind !== 'address' || !source.span) continue;
      const judged = judgeRangeText(source.value, context.trusted);
      if (!judged || judged.publicCount === 0n) continue;
      report(
        source.span,
        { zone: zone.name, range: source.value, count: formatCount(judged.publicCount), hint: didYouMean(judged) },
        {
          severity: judged.intended || judged.veryWide ? 'error' : 'warning',
          ...(zone.target.span ? { related: [{ span: zone.target.span, message: text('firewalld.accepts-everything-here') }] } : {}),
          suggestions: judged.intended
            ? [{ title: 'replace', data: { range: source.value, intended: judged.intended }, edits: [{ span: source.span, newText: judged.intended }] }]
            : [],
        },
      );
    }
  },
});
