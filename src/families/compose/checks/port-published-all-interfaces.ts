import { composeModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import type { ComposeProject } from '../formats';
import { wellKnownPort } from '../../shared/well-known';
import { authState, bindLoopbackEdit, exposedPorts, firewallNote, serviceKind } from './service-facts';

// Serving the web is what ports 80 and 443 are published for; the rule is about everything else.
const WEB_PORTS = new Set([80, 443]);

export const portPublishedAllInterfaces = defineCheck<ComposeProject>({
  rule: 'compose/port-published-all-interfaces',
  model: composeModel,
  run(project, report, context) {
    for (const service of project.services) {
      const kind = serviceKind(service);
      // A datastore with authentication off gets one combined finding from compose/datastore-auth-disabled.
      if (authState(project, service, kind).disabled) continue;
      for (const { entry, scope } of exposedPorts(service)) {
        const ports = entry.spec.containerPorts;
        if (ports.every((port) => WEB_PORTS.has(port))) continue;
        const known = ports.map(wellKnownPort).find((found) => found !== undefined);
        const sensitive = known ?? kind;
        const edit = bindLoopbackEdit(entry, project);
        const note = firewallNote(project, entry, context.trusted);
        report(
          entry.span,
          {
            service: service.name,
            port: entry.spec.containerText,
            what: sensitive ? text('compose.port-what', { label: sensitive.label }) : '',
            scope: scope === 'all-interfaces' ? text('compose.scope-every-interface') : text('compose.scope-public-address', { address: entry.spec.hostIp }),
            firewall: note.data,
          },
          {
            severity: sensitive ? 'error' : 'warning',
            suggestions: edit ? [{ title: 'loopback', edits: [edit] }] : [],
            related: note.related,
          },
        );
      }
    }
  },
});
