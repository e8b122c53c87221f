// squid/open-proxy: clients from a large part of the internet get an http_access allow for a request to any
// host: the proxy is a springboard (case 41: an organisation's systems seen attacking outside servers).
// Judged for a plain GET, a CONNECT to port 443, and a GET whose URL carries the text a url_regex allow
// rule looks for (a client can append it to any URL's query).
import { squidModel } from '../formats';
import { type TextRef, defineCheck, text } from '../../../core/check';
import type { AccessRule, SquidConfig } from '../model';
import { type ProbeRequest, connectRequest, getRequest, literalSample, walkAccess } from '../access';
import { exposureOf, mayBeVeryWide } from './exposure';
import { judgeRange } from '../../../net';

/** GET requests whose URL holds the literal text of a url_regex used by an allow rule. */
export function sampleRequests(config: SquidConfig): Array<{ request: ProbeRequest; sample: string }> {
  const out: Array<{ request: ProbeRequest; sample: string }> = [];
  // An ACL named by many rules gives the same samples each time: each is read once, each sample kept once.
  const seenAcls = new Set<string>();
  const seenSamples = new Set<string>();
  for (const rule of config.httpAccess) {
    if (rule.action !== 'allow') continue;
    for (const reference of rule.acls) {
      if (reference.negated || seenAcls.has(reference.name)) continue;
      const acl = config.acls.get(reference.name);
      if (acl?.type !== 'url_regex') continue;
      seenAcls.add(reference.name);
      for (const value of acl.values) {
        const sample = literalSample(value.text);
        if (sample && !seenSamples.has(sample)) {
          seenSamples.add(sample);
          out.push({ request: getRequest(sample), sample });
        }
      }
    }
  }
  return out;
}

export const openProxy = defineCheck<SquidConfig>({
  rule: 'squid/open-proxy',
  model: squidModel,
  run(config, report, context) {
    // Only a forward proxy port is asked for other hosts; miss_access/adapted_http_access may still refuse.
    if (!config.forwardProxy || config.laterAccessLists.length) return;
    const requests: Array<{ request: ProbeRequest; what: TextRef }> = [
      { request: getRequest(), what: text('squid.what-http') },
      { request: connectRequest(443), what: text('squid.what-connect', { port: 443 }) },
      ...sampleRequests(config).map(({ request, sample }) => ({ request, what: text('squid.what-url-containing', { sample }) })),
    ];
    const reported = new Set<AccessRule | undefined>();
    for (const { request, what } of requests)
      for (const outcome of walkAccess(config, request)) {
        if (outcome.verdict !== 'allow' || reported.has(outcome.rule) || !mayBeVeryWide(outcome.set)) continue;
        const exposure = exposureOf(outcome.set, context.trusted);
        if (!exposure.veryWide) continue;
        reported.add(outcome.rule);
        const last = config.httpAccess[config.httpAccess.length - 1];
        const line = outcome.rule?.line ?? last?.line;
        if (!line) continue;
        const implicit = !outcome.rule;
        // Strangers let in through a mistyped private range: the fix is the range the entry meant.
        const mistyped = (outcome.rule?.acls ?? []).flatMap((reference) => {
          const acl = config.acls.get(reference.name);
          if (reference.negated || acl?.type !== 'src') return [];
          return acl.entries.filter((entry) => !entry.ignored && !entry.viaFile && entry.parsed && entry.set && !entry.set.intersect(outcome.set).isEmpty());
        });
        const replacements = mistyped.flatMap((entry) => {
          const intended = judgeRange(entry.parsed!, context.trusted).intended;
          return intended ? [{ title: 'replace', data: { range: entry.text, intended }, edits: [{ span: entry.span, newText: intended }] }] : [];
        });
        report(
          line.span,
          {
            clients: exposure.clients,
            what,
            how: implicit ? text('squid.how-implicit') : text('squid.how-rule'),
          },
          {
            suggestions: implicit
              ? [{ title: 'deny-all', edits: [{ span: { ...line.span, start: line.span.end }, newText: '\nhttp_access deny all' }] }]
              : replacements,
          },
        );
      }
  },
});
