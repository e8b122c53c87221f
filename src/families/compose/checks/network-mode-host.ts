import { composeModel } from '../formats';
import { defineCheck } from '../../../core/check';
import type { ComposeProject } from '../formats';
import { authState, isHostNetwork, serviceKind } from './service-facts';

export const networkModeHost = defineCheck<ComposeProject>({
  rule: 'compose/network-mode-host',
  model: composeModel,
  run(project, report) {
    for (const service of project.services) {
      if (!isHostNetwork(service) || !service.networkMode) continue;
      const kind = serviceKind(service);
      if (!kind) continue;
      if (authState(project, service, kind).disabled) continue; // reported by compose/datastore-auth-disabled
      report(service.networkMode.span, { service: service.name, datastore: kind.label });
    }
  },
});
