// haproxy/stats-page-exposed: the statistics page served without a password to a wide part of the internet.
import { haproxyModel } from '../formats';
import { type FixSpec, type RelatedSpec, defineCheck, text } from '../../../core/check';
import type { HaproxyConfig, Proxy } from '../model';
import { hasFrontend, proxyLabel } from '../model';
import { AddressSet } from '../../../net';
import { candidateHosts, conditionTruth, listenerReach, probeFor, statsOutcome, statsUris } from '../gate';
import { allowedNetworks, exposureThrough, insertAfter } from './exposure';
import type { HaproxyLine } from '../config';

interface Page {
  proxy: Proxy;
  served: AddressSet;
  admin: boolean;
  everyone: boolean;
  count: bigint;
  binds: RelatedSpec[];
}

/** The line where the page is switched on: its `stats uri`, else the first stats line (own or inherited). */
function anchorOf(page: Proxy): HaproxyLine | undefined {
  return page.stats?.uriLine ?? page.stats?.enabledBy[0];
}

function anchorSection(config: HaproxyConfig, anchor: HaproxyLine): number {
  return (config.file.sections.find((section) => section.lines.includes(anchor))?.header.line ?? anchor.line) + 1;
}

export const statsPageExposed = defineCheck<HaproxyConfig>({
  rule: 'haproxy/stats-page-exposed',
  model: haproxyModel,
  run(config, report, context) {
    const hosts = candidateHosts(config);
    const pages = new Map<HaproxyLine, Page>();
    for (const frontend of config.proxies.filter(hasFrontend)) {
      const uris = statsUris(config, frontend);
      if (!uris.length) continue;
      for (const bind of frontend.binds)
        for (const endpoint of bind.endpoints) {
          if (listenerReach(endpoint) !== 'everyone') continue;
          for (const uri of uris)
            for (const host of hosts) {
              const request = probeFor(uri, host, bind, endpoint);
              const outcome = statsOutcome(config, frontend, request);
              if (!outcome.page || outcome.served.isEmpty()) continue;
              const exposure = exposureThrough(outcome.served, endpoint, context.trusted);
              if (!exposure.wide) continue;
              const anchor = anchorOf(outcome.page);
              if (!anchor) continue;
              const admin = outcome.page.stats!.admin.some(
                (entry) => !conditionTruth(entry.condition, outcome.page!.acls, request, outcome.page).yes.intersect(exposure.public).isEmpty(),
              );
              const page = pages.get(anchor) ?? { proxy: outcome.page, served: AddressSet.empty, admin: false, everyone: false, count: 0n, binds: [] };
              page.served = page.served.union(exposure.public);
              page.admin ||= admin;
              page.everyone ||= exposure.everyone;
              page.count = page.served.size();
              if (!page.binds.some((item) => item.span.start === endpoint.span.start))
                page.binds.push({ span: endpoint.span, message: text('haproxy.stats-reachable-through', { proxy: proxyLabel(frontend), uri }) });
              pages.set(anchor, page);
            }
        }
    }
    for (const [anchor, page] of pages) {
      const stats = page.proxy.stats!;
      const suggestions: FixSpec[] = [];
      const own = page.proxy.section.lines.includes(anchor);
      const networks = allowedNetworks(context.settings.trustedNetworks);
      // `stats http-request` exists in listen and backend sections only, and cannot sit beside `stats auth`/`stats realm`.
      const realm = stats.enabledBy.some((line) => line.words[1]?.text === 'realm');
      if (own && page.proxy.kind !== 'frontend' && !realm)
        suggestions.push({
          title: 'allowList',
          data: { networks },
          edits: [insertAfter(config.source, anchor, `stats http-request deny unless { src ${networks} }`)],
        });
      else if (own && page.proxy.mode === 'http')
        suggestions.push({
          title: 'allowList',
          data: { networks },
          edits: [insertAfter(config.source, anchor, `http-request deny if { url_beg ${stats.uri} } !{ src ${networks} }`)],
        });
      const related: RelatedSpec[] = [...page.binds];
      for (const entry of stats.admin) related.push({ span: entry.line.span, message: text('haproxy.stats-admin-here') });
      // A page switched on in a defaults section is published by every proxy that uses those defaults.
      const proxy = own ? proxyLabel(page.proxy) : text('haproxy.proxies-using-defaults', { line: anchorSection(config, anchor) });
      report(
        anchor.span,
        {
          proxy,
          uri: stats.uri,
          who: page.everyone ? text('haproxy.every-address') : text('haproxy.public-addresses', { count: String(page.count) }),
          admin: page.admin ? text('haproxy.stats-admin-open') : '',
        },
        { severity: page.admin ? 'error' : 'warning', suggestions, related },
      );
    }
  },
});
