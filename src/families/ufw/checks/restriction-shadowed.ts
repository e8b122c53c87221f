// ufw/restriction-shadowed: ufw evaluates its rules in order, so an `allow` above a `deny` for the same
// connections makes the deny dead (IPA case 1: the restriction in front of RDP stopped working unnoticed).
import { defineCheck, text } from '../../../core/check';
import { type FirewallRule, deadRestrictions } from '../../shared/firewall';
import type { IptRule } from '../../iptables/rule';
import { type UfwModel, ufwModel } from '../formats';
import { isSynthetic, lintedRuleset, ruleName } from './support';

export const restrictionShadowed = defineCheck<UfwModel>({
  rule: 'ufw/restriction-shadowed',
  model: ufwModel,
  run(model, report) {
    const ruleset = lintedRuleset(model);
    if (!ruleset) return;
    const byAccept = new Map<FirewallRule, IptRule[]>();
    for (const dead of deadRestrictions(ruleset.ruleset)) {
      if (isSynthetic(dead.rule)) continue;
      for (const accept of dead.shadowedBy) {
        if (isSynthetic(accept)) continue;
        byAccept.set(accept, [...(byAccept.get(accept) ?? []), dead.rule as IptRule]);
      }
    }
    for (const [accept, dead] of byAccept)
      report(
        accept.span,
        { rule: ruleName(ruleset, accept), count: dead.length, lines: dead.map((rule) => String(rule.line.line)).join(', ') },
        { related: dead.map((rule) => ({ span: rule.span, message: text('ufw.dead-restriction') })) },
      );
  },
});
