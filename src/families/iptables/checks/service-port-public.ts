// iptables/service-port-public: a rule lets a very wide part of the internet reach remote administration
// (RDP, VNC, Telnet, SMB, Docker API) or a datastore (Redis, MongoDB, MySQL, ...). IPA case 1: ransomware came
// in over RDP once the restriction in front of it stopped working; cases 33-38: datastores left reachable.
import { type FixSpec, defineCheck } from '../../../core/check';
import type { AddressSet } from '../../../net';
import { type IpFamily, incidentalExposure, largestCount, publicServiceExposures, worstSeverity } from '../../shared/firewall';
import { type IptablesModel, iptablesModel } from '../formats';
import type { IptRule } from '../rule';
import { ownNetworks } from '../networks';
import { behindNote, count, familyLabel, serviceList } from '../../shared/firewall';

export const servicePortPublic = defineCheck<IptablesModel>({
  rule: 'iptables/service-port-public',
  model: iptablesModel,
  run(model, report, context) {
    for (const exposure of publicServiceExposures(model.ruleset, context.trusted)) {
      if (exposure.decision.kind !== 'rule') continue;
      const rule = exposure.decision.rule as IptRule;
      const exposures = exposure.exposures.filter((item) => !incidentalExposure(rule, item, model.services));
      if (!exposures.length) continue;
      const behind = behindNote(model.services, exposures);
      const suggestion = restrictSourceSuggestion(rule, model.family, context.trusted);
      report(
        rule.span,
        { services: serviceList(exposures), publicCount: count(largestCount(exposures)), family: familyLabel(model.family), behind: behind.data },
        { severity: worstSeverity(exposures), related: behind.related, suggestions: suggestion ? [suggestion] : [] },
      );
    }
  },
});

/** `-s <trusted networks or the private blocks>` after the chain name: changes who can connect, so only a suggestion. */
export function restrictSourceSuggestion(rule: IptRule, family: IpFamily, trusted: AddressSet): FixSpec | undefined {
  if (rule.sourceEntries.length) return undefined;
  // After the chain name, or after the rule number of `-I CHAIN N`.
  const tokens = rule.line.tokens;
  const chain = tokens[2] && /^\d+$/.test(tokens[2].text) ? tokens[2] : tokens[1];
  if (!chain) return undefined;
  const networks = ownNetworks(family, trusted);
  return {
    title: 'restrictSource',
    data: { networks },
    edits: [{ span: { file: chain.span.file, start: chain.span.end, end: chain.span.end }, newText: ` -s ${networks}` }],
  };
}
