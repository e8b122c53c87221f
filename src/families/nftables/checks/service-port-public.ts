// nftables/service-port-public: an accept rule that lets a very wide part of the internet reach a
// remote-administration or datastore port (RDP, Docker API, Redis, …; SSH as information), asked of the
// packet model for IPv4 and IPv6. Ports a policy leaves open are input-default-accept's finding.
import { defineCheck, text } from '../../../core/check';
import { type DecisionExposure, behindNote, incidentalExposure, publicServiceExposures } from '../../shared/firewall';
import { nftablesModel } from '../formats';
import type { NftRule } from '../model';
import { familyText, formatCount, inLinted, nftRuleOf, servicesText, sourceRestriction } from './support';
import { distinctRelated } from './support';

const RANK = { error: 0, warning: 1, info: 2 } as const;

export const servicePortPublic = defineCheck({
  rule: 'nftables/service-port-public',
  model: nftablesModel,
  run(config, report, context) {
    const byRule = new Map<NftRule, DecisionExposure[]>();
    for (const family of [4, 6] as const)
      for (const exposure of publicServiceExposures(config.model(family).ruleset, context.trusted)) {
        const rule = nftRuleOf(exposure.decision);
        if (!rule || !inLinted(config, rule.span)) continue;
        byRule.set(rule, [...(byRule.get(rule) ?? []), exposure]);
      }
    for (const [rule, found] of byRule) {
      // A wide port range (RTP 10000-20000) opens a service port only incidentally: named when the service is configured nearby.
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
      // IPv4 counts are the ones a reader can weigh; IPv6 is mentioned when it is open too.
      const largest = exposures.find((exposure) => exposure.family === 4) ?? exposures[0]!;
      const publicCount = largest.exposures.reduce((max, item) => (item.publicCount > max ? item.publicCount : max), 0n);
      const families = [...new Set(exposures.map((exposure) => exposure.family))];
      report(
        rule.span,
        {
          services: servicesText(exposures.flatMap((exposure) => exposure.exposures)),
          count: formatCount(publicCount),
          family: familyText(largest.family),
          also: families.length > 1 ? text('nftables.also-ipv6') : '',
          behind: behind.data,
        },
        {
          severity,
          related: distinctRelated(behind.related),
          suggestions: [
            {
              title: 'restrictSource',
              data: { restriction: sourceRestriction(rule.chain.table.family, context.settings.trustedNetworks).trim() },
              edits: [{ span: { ...rule.span, end: rule.span.start }, newText: sourceRestriction(rule.chain.table.family, context.settings.trustedNetworks) }],
            },
          ],
        },
      );
    }
  },
});
