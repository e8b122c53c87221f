// haproxy/internal-service-exposed: a listener on every interface (or a public address) that hands
// connections to a datastore or an admin tool, with no source rule that keeps the internet out.
import { haproxyModel } from '../formats';
import { type FixSpec, type RelatedSpec, defineCheck, text } from '../../../core/check';
import type { HaproxyConfig, Proxy, Server } from '../model';
import { hasFrontend, proxyLabel } from '../model';
import { type WellKnown, wellKnownPort } from '../../shared/well-known';
import { listenerReach, probeFor, serviceOutcome } from '../gate';
import { exposureThrough, loopbackVersion } from './exposure';

/** What the servers of a backend are, by their well-known ports (or the listener's own port). */
function serviceBehind(backend: Proxy, listenerPort: number | undefined): { known: WellKnown; server?: Server } | undefined {
  for (const server of backend.servers) {
    const known = server.port === undefined ? undefined : wellKnownPort(server.port);
    if (known) return { known, server };
  }
  const known = listenerPort === undefined ? undefined : wellKnownPort(listenerPort);
  return known && backend.servers.length ? { known } : undefined;
}

export const internalServiceExposed = defineCheck<HaproxyConfig>({
  rule: 'haproxy/internal-service-exposed',
  model: haproxyModel,
  run(config, report, context) {
    for (const frontend of config.proxies.filter(hasFrontend)) {
      for (const bind of frontend.binds)
        for (const endpoint of bind.endpoints) {
          if (listenerReach(endpoint) !== 'everyone') continue;
          const request = probeFor('/', 'unknown.invalid', bind, endpoint);
          for (const { backend, outcome } of serviceOutcome(config, frontend, request)) {
            const behind = serviceBehind(backend, endpoint.ports?.[0]);
            if (!behind) continue;
            const exposure = exposureThrough(outcome.served, endpoint, context.trusted);
            if (!exposure.wide) continue;
            const loopback = loopbackVersion(endpoint);
            const suggestions: FixSpec[] = loopback
              ? [{ title: 'loopback', data: { address: loopback }, edits: [{ span: endpoint.span, newText: loopback }] }]
              : [];
            const related: RelatedSpec[] = behind.server
              ? [{ span: behind.server.line.span, message: text('haproxy.service-server-here', { what: behind.known.label }) }]
              : [];
            report(
              endpoint.span,
              {
                proxy: proxyLabel(frontend),
                address: endpoint.text,
                what: behind.known.label,
                who: exposure.everyone ? text('haproxy.every-address') : text('haproxy.public-addresses', { count: String(exposure.count) }),
              },
              { severity: behind.known.kind === 'admin-tool' ? 'warning' : 'error', suggestions, related },
            );
            break;
          }
        }
    }
  },
});
