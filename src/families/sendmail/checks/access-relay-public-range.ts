import { type EditSpec, defineCheck, text } from '../../../core/check';
import { judgeRange } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import { octetPrefixesFor } from '../access';
import { sendmailModel } from '../formats';
import type { SendmailConfig } from '../model';
import { relayGrants } from '../relay';
import { loopbackOnly } from '../model';

/** Partner hosts: at most this many public IPv4 addresses (as for Postfix's mynetworks and Exim's relay lists). */
const PARTNER_HOSTS_V4 = 8n;

export const accessRelayPublicRange = defineCheck<SendmailConfig>({
  rule: 'sendmail/access-relay-public-range',
  model: sendmailModel,
  run(config, report, context) {
    // Listening on loopback only (DAEMON_OPTIONS Addr=), no outside client reaches the map today: a warning.
    const loopback = loopbackOnly(config);
    for (const grant of relayGrants(config)) {
      // A grant that decides no address (a repeated or covered key) exposes nothing: not judged at all.
      if (grant.contribution.isEmpty()) continue;
      const judgement = judgeRange(grant.parsed, context.trusted, grant.contribution);
      if (judgement.exposed.isEmpty()) continue;
      const { intended, veryWide } = judgement;
      if (!intended && !veryWide && judgement.publicCount <= PARTNER_HOSTS_V4) continue;
      const source = config.sourceOf(grant.span.file);
      const suggestions: Array<{ title: string; data: Record<string, string>; edits: EditSpec[] }> = [];
      const prefixes = intended ? octetPrefixesFor(intended) : undefined;
      if (grant.access && prefixes && intended && source) {
        // Sendmail keys are octet prefixes: a block such as 172.16.0.0/12 is written as 172.16 … 172.31.
        const tag = grant.access.tag ? `${grant.access.tag}:` : '';
        const rest = source.text.slice(grant.access.keySpan.end, grant.access.line.end);
        const lines = prefixes.map((prefix) => `${tag}${prefix}${rest}`).join('\n');
        suggestions.push({
          title: 'replace',
          data: { token: grant.text, intended, lines: `${tag}${prefixes[0]}${prefixes.length > 1 ? ` … ${tag}${prefixes[prefixes.length - 1]}` : ''}` },
          edits: [{ span: grant.access.line, newText: lines }],
        });
      }
      if (grant.access && source) {
        const line = grant.access.line;
        const end = source.text[line.end] === '\n' ? line.end + 1 : line.end;
        suggestions.push({ title: 'remove', data: { token: grant.text }, edits: [{ span: { ...line, end }, newText: '' }] });
      }
      report(
        grant.span,
        {
          token: grant.text,
          range: grant.parsed.prefix === 32 ? grant.parsed.text : `${grant.parsed.text} = ${formatCidr(grant)}`,
          publicCount: judgement.publicCount.toLocaleString('en-US'),
          source: grant.access ? text('sendmail.in-access') : text('sendmail.in-relay-domains'),
          hint: didYouMean(judgement),
          listening: loopback ? text('sendmail.loopback-only') : '',
        },
        { severity: (intended || veryWide) && !loopback ? 'error' : 'warning', suggestions },
      );
    }
  },
});

function formatCidr(grant: { parsed: { range: { start: bigint }; prefix: number } }): string {
  const value = Number(grant.parsed.range.start - 0xffff00000000n);
  return `${[24, 16, 8, 0].map((shift) => String(Math.floor(value / 2 ** shift) & 0xff)).join('.')}/${grant.parsed.prefix}`;
}
