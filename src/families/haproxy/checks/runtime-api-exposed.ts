// haproxy/runtime-api-exposed: the runtime API (`stats socket`) asks nobody for a password, so whoever can
// connect to it may read every counter and session and, at level admin, switch servers off or rewrite maps.
import { haproxyModel } from '../formats';
import { type FixSpec, defineCheck, text } from '../../../core/check';
import type { HaproxyConfig } from '../model';
import { listenerReach } from '../gate';
import { loopbackVersion, privateListener } from './exposure';

export const runtimeApiExposed = defineCheck<HaproxyConfig>({
  rule: 'haproxy/runtime-api-exposed',
  model: haproxyModel,
  run(config, report) {
    for (const socket of config.statsSockets) {
      const { endpoint, level } = socket;
      if (endpoint.transport === 'unix') {
        // connect() on a unix socket needs write permission: o+w lets every local account in.
        if (socket.mode === undefined || (socket.mode & 0o002) === 0 || !socket.modeWord) continue;
        report(
          socket.modeWord.span,
          { address: endpoint.text, level, who: text('haproxy.every-local-account', { mode: socket.modeWord.text }) },
          { severity: 'warning', suggestions: [{ title: 'mode660', edits: [{ span: socket.modeWord.span, newText: '660' }] }] },
        );
        continue;
      }
      const everyone = listenerReach(endpoint) === 'everyone';
      if (!everyone && !privateListener(endpoint)) continue;
      const loopback = loopbackVersion(endpoint);
      const suggestions: FixSpec[] = loopback ? [{ title: 'loopback', data: { address: loopback }, edits: [{ span: endpoint.span, newText: loopback }] }] : [];
      report(
        endpoint.span,
        { address: endpoint.text, level, who: everyone ? text('haproxy.every-network') : text('haproxy.private-network') },
        {
          severity: everyone ? 'error' : 'warning',
          suggestions,
          related: socket.levelWord ? [{ span: socket.levelWord.span, message: text('haproxy.runtime-level-here', { level }) }] : [],
        },
      );
    }
  },
});
