// iptables/restriction-shadowed: an ACCEPT that comes before the DROP/REJECT it was meant to follow, so the
// restriction never sees a packet (IPA case 1: the restriction in front of RDP silently stopped working).
// Reported on the ACCEPT; the dead rules are related locations.
import { type FixSpec, text } from '../../../core/check';
import { defineCheck } from '../../../core/check';
import { type FirewallRule, deadRestrictions } from '../../shared/firewall';
import { type IptablesModel, iptablesModel } from '../formats';
import type { IptRule } from '../rule';

export const restrictionShadowed = defineCheck<IptablesModel>({
  rule: 'iptables/restriction-shadowed',
  model: iptablesModel,
  run(model, report) {
    const byAccept = new Map<FirewallRule, IptRule[]>();
    for (const dead of deadRestrictions(model.ruleset))
      for (const accept of dead.shadowedBy) {
        const list = byAccept.get(accept) ?? [];
        list.push(dead.rule as IptRule);
        byAccept.set(accept, list);
      }
    for (const [accept, deadRules] of byAccept) {
      const rule = accept as IptRule;
      const lines = deadRules.map((dead) => String(dead.line.line)).join(', ');
      report(
        rule.span,
        { count: deadRules.length, lines },
        {
          related: deadRules.map((dead) => ({ span: dead.span, message: text('iptables.dead-restriction') })),
          suggestions: moveAbove(rule, deadRules, model.source.text),
        },
      );
    }
  },
});

/** Moves the dead rules (same file, same chain) to just above the ACCEPT, keeping their order. */
function moveAbove(accept: IptRule, dead: IptRule[], text: string): FixSpec[] {
  const movable = dead.filter(
    (rule) => rule.span.file === accept.span.file && rule.table === accept.table && rule.chain === accept.chain && rule.line.line > accept.line.line,
  );
  if (!movable.length || movable.length !== dead.length) return [];
  // Lines end at \n, \r\n or a lone \r, as the model counts them; a moved last line gets the file's own ending.
  const isBreak = (at: number) => text[at] === '\n' || text[at] === '\r';
  const lineStart = (offset: number) => {
    let at = offset;
    while (at > 0 && !isBreak(at - 1)) at--;
    return at;
  };
  const lineEnd = (offset: number) => {
    let at = offset;
    while (at < text.length && !isBreak(at)) at++;
    if (at === text.length) return at;
    return text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1;
  };
  const ending = text.includes('\r\n') ? '\r\n' : text.includes('\r') && !text.includes('\n') ? '\r' : '\n';
  const insertAt = lineStart(accept.span.start);
  const moved = movable
    .map((rule) => text.slice(lineStart(rule.span.start), lineEnd(rule.span.end)))
    .map((line) => (/[\r\n]$/.test(line) ? line : `${line}${ending}`));
  return [
    {
      title: 'moveAbove',
      edits: [
        { span: { file: accept.span.file, start: insertAt, end: insertAt }, newText: moved.join('') },
        ...movable.map((rule) => ({ span: { file: rule.span.file, start: lineStart(rule.span.start), end: lineEnd(rule.span.end) }, newText: '' })),
      ],
    },
  ];
}
