// ufw/service-port-public: a ufw rule lets a very wide part of the internet reach remote administration or a
// datastore (IPA case 1: RDP; cases 33-38: datastores left reachable).
import { defineCheck } from '../../../core/check';
import { behindNote, count, familyLabel, incidentalExposure, largestCount, publicServiceExposures, serviceList, worstSeverity } from '../../shared/firewall';
import { type UfwModel, ufwModel } from '../formats';
import { isSynthetic, lintedRuleset, ruleName } from './support';

export const servicePortPublic = defineCheck<UfwModel>({
  rule: 'ufw/service-port-public',
  model: ufwModel,
  run(model, report, context) {
    const ruleset = lintedRuleset(model);
    if (!ruleset) return;
    for (const exposure of publicServiceExposures(ruleset.ruleset, context.trusted)) {
      if (exposure.decision.kind !== 'rule' || isSynthetic(exposure.decision.rule)) continue;
      const rule = exposure.decision.rule;
      const exposures = exposure.exposures.filter((item) => !incidentalExposure(rule, item, model.services));
      if (!exposures.length) continue;
      const behind = behindNote(model.services, exposures);
      report(
        rule.span,
        {
          rule: ruleName(ruleset, rule),
          services: serviceList(exposures),
          publicCount: count(largestCount(exposures)),
          family: familyLabel(ruleset.family),
          behind: behind.data,
        },
        { severity: worstSeverity(exposures), related: behind.related },
      );
    }
  },
});
