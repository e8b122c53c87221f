// nftables/restriction-shadowed: an accept that takes every new connection a later drop or reject was
// written for, so the restriction never applies (the shape of case 1: a restriction that silently stopped
// working). Reported on the accept, with the dead rules as related locations.
import { defineCheck, text } from '../../../core/check';
import { deadRestrictions } from '../../shared/firewall';
import { nftablesModel } from '../formats';
import type { NftRule } from '../model';
import type { NftModelRule } from '../packet';
import { inLinted } from './support';

export const restrictionShadowed = defineCheck({
  rule: 'nftables/restriction-shadowed',
  model: nftablesModel,
  run(config, report) {
    const dead = new Map<NftRule, Set<NftRule>>();
    for (const family of [4, 6] as const)
      for (const finding of deadRestrictions(config.model(family).ruleset)) {
        const restriction = (finding.rule as NftModelRule).source;
        for (const accept of finding.shadowedBy) {
          const rule = (accept as NftModelRule).source;
          if (!dead.has(rule)) dead.set(rule, new Set());
          dead.get(rule)!.add(restriction);
        }
      }
    for (const [accept, restrictions] of dead) {
      if (!inLinted(config, accept.span)) continue;
      const first = [...restrictions].sort((a, b) => a.span.start - b.span.start)[0]!;
      const source = config.ruleset.sources.find((file) => file.path === first.span.file);
      const line = source ? source.positionAt(first.span.start).line + 1 : 0;
      const moveAfter = first.chain === accept.chain && first.span.file === accept.span.file && first.span.start > accept.span.start;
      report(
        accept.span,
        { count: restrictions.size, line, file: first.span.file === config.linted ? '' : first.span.file },
        {
          related: [...restrictions].map((rule) => ({ span: rule.span, message: text('nftables.dead-restriction') })),
          suggestions: moveAfter && source ? [moveBelow(source.text, accept, first)] : [],
        },
      );
    }
  },
});

/** Moves the accept's line below the restriction's line (both whole lines in the same file). */
function moveBelow(textOfFile: string, accept: NftRule, restriction: NftRule) {
  const lineStart = textOfFile.lastIndexOf('\n', accept.span.start - 1) + 1;
  const lineEnd = textOfFile.indexOf('\n', accept.span.end);
  const acceptLine = textOfFile.slice(lineStart, lineEnd < 0 ? textOfFile.length : lineEnd + 1);
  const afterRestriction = textOfFile.indexOf('\n', restriction.span.end);
  const insertAt = afterRestriction < 0 ? textOfFile.length : afterRestriction + 1;
  return {
    title: 'moveBelow',
    edits: [
      { span: { file: accept.span.file, start: lineStart, end: lineStart + acceptLine.length }, newText: '' },
      { span: { file: accept.span.file, start: insertAt, end: insertAt }, newText: acceptLine.endsWith('\n') ? acceptLine : `${acceptLine}\n` },
    ],
  };
}
