// firewalld/service-port-public: a zone that handles internet traffic (the default zone, or a zone bound
// to wide public sources) opens a remote-administration or datastore port (RDP, Docker API, Redis, …; SSH as
// information): a <service> (resolved through firewalld's service definitions), a <port> or an accepting rich
// rule. Zones left as Debian ships them are not reported (their SSH is the distribution's choice).
import { defineCheck, text } from '../../../core/check';
import type { Span } from '../../../core/types';
import { type DecisionExposure, behindNote, incidentalExposure, publicServiceExposures, serviceList } from '../../shared/firewall';
import { firewalldModel } from '../formats';
import { familyText, formatCount, indentationAt, inLinted, modelRule, restrictedSources, richRulesFor } from './support';
import { distinctRelated } from './support';

const RANK = { error: 0, warning: 1, info: 2 } as const;

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
      // A wide port range opens a service port only incidentally: named when the service is configured nearby.
      const exposures = found
        .map((exposure) => ({
          ...exposure,
          exposures: exposure.exposures.filter(
            (item) => exposure.decision.kind !== 'rule' || !incidentalExposure(exposure.decision.rule, item, config.services),
          ),
        }))
        .filter((exposure) => exposure.exposures.length > 0);
      if (!exposures.length) continue;
      const behind = behindNote(
        config.services,
        exposures.flatMap((exposure) => exposure.exposures),
      );
      const severity = exposures.flatMap((exposure) => exposure.exposures.map((item) => item.service.severity)).sort((a, b) => RANK[a] - RANK[b])[0]!;
      const main = exposures.find((exposure) => exposure.family === 4) ?? exposures[0]!;
      const publicCount = main.exposures.reduce((max, item) => (item.publicCount > max ? item.publicCount : max), 0n);
      const families = new Set(exposures.map((exposure) => exposure.family));
      const zone = modelRule(main.decision)!.zone;
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
          services: serviceList(exposures.flatMap((exposure) => exposure.exposures)),
          count: formatCount(publicCount),
          family: familyText(main.family),
          also: families.size > 1 ? text('firewalld.also-ipv6') : '',
          behind: behind.data,
        },
        { severity, suggestions, related: distinctRelated(behind.related) },
      );
    }
  },
});
