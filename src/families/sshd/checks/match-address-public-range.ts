import { type TextRef, defineCheck, text } from '../../../core/check';
import type { Span } from '../../../core/types';
import { AddressSet, type ParsedRange, judgeRange, parseRange } from '../../../net';
import { didYouMean } from '../../shared/range-text';
import { sshdModel } from '../formats';
import type { Effective, MatchBlock, SshdConfig } from '../model';
import { conditionalBlocks, contextsOf, representative } from '../contexts';
import { relaxation } from '../login';
import { entryView, parseCidr } from '../patterns';
import type { SshdToken } from '../syntax';
import { placeIn } from './support';

interface Entry {
  text: string;
  negated: boolean;
  span: Span;
}

/** The comma-separated entries of an address list, each with its span when the token is written plainly. */
function entries(file: string, token: SshdToken, raw: string): Entry[] {
  const quoted = raw === `"${token.value}"`;
  const plain = raw === token.value || quoted;
  const out: Entry[] = [];
  let offset = 0;
  for (const part of token.value.split(',')) {
    const negated = part.startsWith('!');
    const start = token.start + (quoted ? 1 : 0) + offset + (negated ? 1 : 0);
    const span = plain ? { file, start, end: start + part.length - (negated ? 1 : 0) } : { file, start: token.start, end: token.end };
    out.push({ text: negated ? part.slice(1) : part, negated, span });
    offset += part.length + 1;
  }
  return out;
}

/** The range to judge an entry by: the prefix it is (10.0/16 read as 10.0.0.0/16), or the prefixes its wildcard covers. */
function rangeOf(entry: string, set: AddressSet): ParsedRange | undefined {
  const cidr = parseCidr(entry);
  if (typeof cidr === 'object') {
    const value = cidr.address.family === 4 ? [24n, 16n, 8n, 0n].map((shift) => String((cidr.address.value >> shift) & 0xffn)).join('.') : entry.split('/')[0]!;
    return parseRange(`${value}/${cidr.prefix}`);
  }
  const cidrs = set.toCidrs();
  if (cidrs.length === 0) return undefined;
  // `*` is everything; a wildcard such as 172.* is exactly 172.0.0.0/8.
  if (cidrs.length === 1) return parseRange(cidrs[0]!);
  return parseRange(/^\*+$/.test(entry) ? '0.0.0.0/0' : cidrs[0]!);
}

export const matchAddressPublicRange = defineCheck({
  rule: 'sshd/match-address-public-range',
  model: sshdModel,
  run(config, report, context) {
    const global = contextsOf(config, context.trusted).find((candidate) => !candidate.block)?.effective ?? config.evaluate();
    for (const block of conditionalBlocks(config)) {
      const criteria = block.condition.criteria.filter((criterion) => criterion.attribute === 'address');
      if (criteria.length === 0) continue;
      const relaxed = relaxedFor(config, block, global, context.trusted);
      if (!relaxed) continue;
      for (const criterion of criteria) {
        const source = config.sources.find((known) => known.path === block.directive.line.file);
        if (!source) continue;
        const list = entries(source.path, criterion.value, source.text.slice(criterion.value.start, criterion.value.end));
        const excluded = AddressSet.unionAll(list.filter((entry) => entry.negated).map((entry) => entryView(entry.text).set));
        for (const entry of list) {
          if (entry.negated) continue;
          const view = entryView(entry.text);
          const parsed = rangeOf(entry.text, view.set);
          if (!parsed) continue;
          const judgement = judgeRange(parsed, context.trusted, view.set.subtract(excluded));
          if (judgement.exposed.isEmpty()) continue;
          const placed = placeIn(config, entry.span, text('sshd.related-range-here', { entry: entry.text }));
          if (!placed) continue;
          const { intended, veryWide } = judgement;
          report(
            placed.span,
            {
              entry: entry.text,
              amount: judgement.everything ? text('sshd.amount-all') : text('sshd.amount-count', { count: judgement.publicCount.toLocaleString('en-US') }),
              hint: didYouMean(judgement),
              relaxation: relaxed,
            },
            {
              severity: intended || veryWide ? 'error' : 'warning',
              related: placed.related,
              ...(intended
                ? { suggestions: [{ title: 'restrictToIntended', data: { entry: entry.text, intended }, edits: [{ span: entry.span, newText: intended }] }] }
                : {}),
            },
          );
        }
      }
    }
  },
});

/** How the block relaxes authentication for a client inside its range, or undefined. */
function relaxedFor(config: SshdConfig, block: MatchBlock, global: Effective, trusted: AddressSet): TextRef | undefined {
  const client = representative(config, block, { public: true, trusted }) ?? representative(config, block, { public: false, trusted });
  return client ? relaxation(config.evaluate(client), global) : undefined;
}
