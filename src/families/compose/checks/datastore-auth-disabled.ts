import { composeModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import type { ComposeProject } from '../formats';
import { joinReasons } from './join-reasons';
import { authState, bindLoopbackEdit, exposedPorts, firewallNote, isHostNetwork, serviceKind } from './service-facts';

export const datastoreAuthDisabled = defineCheck<ComposeProject>({
  rule: 'compose/datastore-auth-disabled',
  model: composeModel,
  run(project, report, context) {
    const note = firewallNote(project);
    for (const service of project.services) {
      const kind = serviceKind(service);
      const state = authState(project, service, kind);
      if (!state.disabled) continue;
      const exposed = exposedPorts(service);
      const data = { service: service.name, datastore: kind?.label ?? service.name, reasons: joinReasons(state.reasons), firewall: note.data };
      if (isHostNetwork(service) && service.networkMode) {
        report(service.networkMode.span, { ...data, how: text('compose.how-host-network') }, { related: [...state.related, ...note.related] });
        continue;
      }
      // One finding per published entry: the exposure and the missing authentication together.
      for (const { entry } of exposed) {
        const edit = bindLoopbackEdit(entry, project);
        const portNote = firewallNote(project, entry, context.trusted);
        report(
          entry.span,
          { ...data, firewall: portNote.data, how: text('compose.how-published', { port: entry.spec.containerText }) },
          { suggestions: edit ? [{ title: 'loopback', edits: [edit] }] : [], related: [...state.related, ...portNote.related] },
        );
      }
    }
  },
});
