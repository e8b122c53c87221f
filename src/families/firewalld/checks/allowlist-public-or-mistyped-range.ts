// firewalld/allowlist-public-or-mistyped-range: a source that a zone or a rich rule lets in reaches into
// public space: a mistyped private block (172.0.0.0/8 for 172.16.0.0/12, case 21) or a very wide range.
// Zone bindings count when the zone allows something; rich rules when they accept (or drop everyone else,
// `invert="true"`). Zones that accept everything are trusted-zone-bound-to-public-sources' finding.
import { defineCheck } from '../../../core/check';
import type { Span } from '../../../core/types';
import { judgeRangeText } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import { firewalldModel } from '../formats';
import type { Zone } from '../zone';
import { formatCount } from './support';

/** The zone lets something in: services, ports, protocols, source ports or accepting rich rules. */
export function zoneGrants(zone: Zone): boolean {
  return (
    zone.services.length + zone.ports.length + zone.protocols.length + zone.sourcePorts.length > 0 || zone.rules.some((rule) => rule.action?.kind === 'accept')
  );
}

export const allowlistPublicOrMistypedRange = defineCheck({
  rule: 'firewalld/allowlist-public-or-mistyped-range',
  model: firewalldModel,
  run(config, report, context) {
    const zone = config.zone;
    if (!zone) return;
    const entries: { value: string; span: Span }[] = [];
    if (zone.target.value !== 'ACCEPT' && zoneGrants(zone))
      for (const source of zone.sources) if (source.kind === 'address' && source.span) entries.push({ value: source.value, span: source.span });
    for (const rule of zone.rules) {
      const source = rule.source;
      if (!source || source.kind !== 'address') continue;
      const grants = (rule.action?.kind === 'accept' && !source.invert) || ((rule.action?.kind === 'drop' || rule.action?.kind === 'reject') && source.invert);
      if (grants) entries.push({ value: source.value, span: source.span });
    }
    for (const entry of entries) {
      const judged = judgeRangeText(entry.value, context.trusted);
      if (!judged || !(judged.intended || judged.veryWide)) continue;
      report(
        entry.span,
        { range: entry.value, count: formatCount(judged.publicCount), hint: didYouMean(judged), zone: zone.name },
        {
          severity: judged.intended || judged.everything ? 'error' : 'warning',
          suggestions: judged.intended
            ? [{ title: 'replace', data: { range: entry.value, intended: judged.intended }, edits: [{ span: entry.span, newText: judged.intended }] }]
            : [],
        },
      );
    }
  },
});
