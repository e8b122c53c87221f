// firewalld/service-port-public: a zone that handles internet traffic (the default zone, or a zone bound
// to wide public sources) opens a remote-administration or datastore port (RDP, Docker API, Redis, …; SSH as
// information): a <service> (resolved through firewalld's service definitions), a <port> or an accepting rich
// rule. Zones left as Debian ships them are not reported (their SSH is the distribution's choice).
import { defineCheck, text } from '../../../core/check';
import type { Span } from '../../../core/types';
import { type DecisionExposure, behindNote, distinctRelated, placeExposure, publicServiceExposures, serviceList } from '../../shared/firewall';
import { firewalldModel } from '../formats';
import { familyText, formatCount, indentationAt, inLinted, modelRule, restrictedSources, richRulesFor } from './support';

export const servicePortPublic = defineCheck({
  rule: 'firewalld/service-port-public',
  model: firewalldModel,
  run(config, report, context) {
    const bySpan = new Map<string, { span: Span; exposures: DecisionExposure[]; origin: string }>();
    for (const family of [4, 6] as const)
      for (const exposure of publicServiceExposures(config.model(family).ruleset, context.trusted)) {
        const rule = modelRule(exposure.decision);
        // A zone that accepts everything is trusted-zone-bound-to-public-sources' or input-default-accept's finding.
        if (!rule || rule.origin === 'target' || rule.origin === 'dispatch' || !inLinted(config, rule.span) || config.setup.isAsShipped(rule.zone)) continue;
        const key = `${rule.span.start}:${rule.span.end}`;
        const entry = bySpan.get(key) ?? { span: rule.span, exposures: [], origin: rule.origin };
        entry.exposures.push(exposure);
        bySpan.set(key, entry);
      }
    for (const { span, exposures: found, origin } of bySpan.values()) {
      const place = placeExposure(found, config.services);
      if (!place) continue;
      const behind = behindNote(config.services, place.services);
      const zone = modelRule(place.main.decision)!.zone;
      const source = config.source;
      const elementText = source?.text.slice(span.start, span.end);
      const suggestions =
        source && elementText && (origin === 'service' || origin === 'port') && !elementText.includes('\n')
          ? [
              {
                title: 'richRule',
                data: { sources: restrictedSources(context.settings.trustedNetworks).join(', ') },
                edits: [
                  { span, newText: richRulesFor(elementText, restrictedSources(context.settings.trustedNetworks), indentationAt(source.text, span.start)) },
                ],
              },
            ]
          : [];
      report(
        span,
        {
          zone: zone.name,
          services: serviceList(place.services),
          count: formatCount(place.publicCount),
          family: familyText(place.main.family),
          also: place.families.length > 1 ? text('firewalld.also-ipv6') : '',
          behind: behind.data,
        },
        { severity: place.severity, suggestions, related: distinctRelated(behind.related) },
      );
    }
  },
});
