import { composeModel } from '../formats';
import { defineCheck } from '../../../core/check';
import type { Localized } from '../../../core/types';
import type { ComposeProject } from '../formats';
import { authState, bindLoopbackEdit, exposedPorts, firewallNote, isHostNetwork, serviceKind } from './service-facts';

const join = (reasons: Localized[]): Localized => ({ en: reasons.map((reason) => reason.en).join('; '), ja: reasons.map((reason) => reason.ja).join('。') });

export const datastoreAuthDisabled = defineCheck<ComposeProject>({
  rule: 'compose/datastore-auth-disabled',
  model: composeModel,
  run(project, report) {
    const note = firewallNote(project);
    for (const service of project.services) {
      const kind = serviceKind(service);
      const state = authState(project, service, kind);
      if (!state.disabled) continue;
      const exposed = exposedPorts(service);
      const data = { service: service.name, datastore: kind?.label ?? service.name, reasons: join(state.reasons), firewall: note.data };
      if (isHostNetwork(service) && service.networkMode) {
        report(service.networkMode.span, { ...data, how: { en: "shares the host's network (network_mode: host)", ja: 'ホストのネットワークを共有しています（network_mode: host）' } }, { related: [...state.related, ...note.related] });
        continue;
      }
      // One finding per published entry: the exposure and the missing authentication together.
      for (const { entry } of exposed) {
        const edit = bindLoopbackEdit(entry, project);
        report(
          entry.span,
          { ...data, how: { en: `publishes ${entry.spec.containerText} on every host interface`, ja: `${entry.spec.containerText} をホストのすべてのインターフェースに公開しています` } },
          { suggestions: edit ? [{ title: 'loopback', edits: [edit] }] : [], related: [...state.related, ...note.related] },
        );
      }
    }
  },
});
