// nftables/service-port-public: an accept rule that lets a very wide part of the internet reach a
// remote-administration or datastore port (RDP, Docker API, Redis, …; SSH as information), asked of the
// packet model for IPv4 and IPv6. Ports a policy leaves open are input-default-accept's finding.
import { defineCheck, text } from '../../../core/check';
import { type DecisionExposure, behindNote, distinctRelated, placeExposure, publicServiceExposures } from '../../shared/firewall';
import { nftablesModel } from '../formats';
import type { NftRule } from '../model';
import { familyText, formatCount, inLinted, nftRuleOf, servicesText, sourceRestriction } from './support';

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
      const place = placeExposure(found, config.services);
      if (!place) continue;
      const behind = behindNote(config.services, place.services);
      report(
        rule.span,
        {
          services: servicesText(place.services),
          count: formatCount(place.publicCount),
          family: familyText(place.main.family),
          also: place.families.length > 1 ? text('nftables.also-ipv6') : '',
          behind: behind.data,
        },
        {
          severity: place.severity,
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
