// postfix/relay-check-missing: a service whose relay-deciding lists hold no working relay gate at all
// (`permit_mynetworks, permit`, `-o smtpd_relay_restrictions=permit`, or a legacy recipient list with an empty
// relay list). smtpd_check.c has_required: smtpd exits at start-up ("specify at least one working instance of
// ..."), so the service accepts no mail. A gate written after the permit (which Postfix before 2.10 accepted,
// relaying for everyone) is postfix/open-relay-permit-before-reject's finding. With neither list written,
// only Postfix 3 below compatibility level 1 has no gate (Postfix 2's built-in lists had one): a warning.
import type { Span } from '../../../core/types';
import { postfixModel } from '../formats';
import { type EditSpec, type FixSpec, defineCheck, text } from '../../../core/check';
import type { ParameterValue, PostfixConfig } from '../config';
import type { MasterService } from '../master-cf';
import { analyseRelay, permitBeforeIgnoredGate, relayLists } from '../restrictions';
import { addOverrideEdit, relatedFor, serviceLabel, setMainParameterEdit } from './locate';

/** Parameters every complete main.cf sets; a file with none of them is a fragment. */
const WHOLE_MAIN_CF = ['myhostname', 'mydestination', 'mynetworks', 'inet_interfaces', 'alias_maps', 'myorigin', 'relayhost'];

/** Postfix's own default for smtpd_relay_restrictions (compatibility_level 1 and later). */
const DEFAULT_RELAY_RESTRICTIONS = 'permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination';

export const relayCheckMissing = defineCheck<PostfixConfig>({
  rule: 'postfix/relay-check-missing',
  model: postfixModel,
  run(config, report) {
    for (const service of config.evaluatedServices) {
      const analysis = analyseRelay(config, service);
      if (analysis.state !== 'refused' || permitBeforeIgnoredGate(analysis)) continue;
      const lists = relayLists(analysis);
      const label = serviceLabel(service);
      // The list that ends in `permit` is where the relay check belongs.
      const holder = lists.flatMap((list) => {
        const permit = list.items.find((item) => item.name === 'permit');
        return permit ? [{ list, permit }] : [];
      })[0];
      if (holder) {
        const { list, permit } = holder;
        const value = config.parameter(list.name, service);
        const span = permit.token.span() ?? permit.viaClass?.span() ?? config.originSpan(value);
        if (!span) continue;
        // A master.cf -o argument cannot hold a space; main.cf follows the list's own style.
        const separator = value.origin.kind === 'override' ? ',' : /,/.test(value.expanded.text) ? ', ' : ' ';
        const suggestions: FixSpec[] =
          permit.token.span() && !permit.viaClass
            ? [{ title: 'insert', edits: [{ span: { ...span, end: span.start }, newText: `reject_unauth_destination${separator}` }] }]
            : [];
        report(
          span,
          { service: label, where: text('postfix.relay-list-ends-in-permit', { list: list.name }), consequence: text('postfix.relay-missing-stops') },
          { suggestions, related: relatedFor(span, value, service) },
        );
        continue;
      }
      // No permit: a written list that lacks a gate, or nothing written at all (compatibility_level below 1).
      const written = lists.map((list) => config.parameter(list.name, service)).find((value) => config.originSpan(value) !== undefined);
      if (written) {
        const span = config.originSpan(written)!;
        const edit = appendGateEdit(written);
        report(
          span,
          { service: label, where: text('postfix.relay-list-without-gate', { list: written.name }), consequence: text('postfix.relay-missing-stops') },
          { suggestions: edit ? [{ title: 'append', data: { list: written.name }, edits: [edit] }] : [], related: relatedFor(span, written, service) },
        );
        continue;
      }
      // A fragment (main.cf.tls, a snippet for an include) is not a whole main.cf: nothing is missing from it.
      if (!WHOLE_MAIN_CF.some((name) => config.isExplicit(name, service))) continue;
      const span = unwrittenSpan(config, service);
      if (!span) continue;
      const edit = service
        ? addOverrideEdit(service, ['smtpd_relay_restrictions', DEFAULT_RELAY_RESTRICTIONS.replace(/ /g, '')])
        : setMainParameterEdit(config, 'smtpd_relay_restrictions', DEFAULT_RELAY_RESTRICTIONS, span);
      report(
        span,
        {
          service: label,
          where: text('postfix.relay-lists-unset', { level: config.parameter('compatibility_level', service).expanded.text.trim() || '0' }),
          consequence: text('postfix.relay-missing-unset-stops'),
        },
        { severity: 'warning', suggestions: edit ? [{ title: 'set-default', edits: [edit] }] : [] },
      );
    }
  },
});

/** `, reject_unauth_destination` after the last item the list's value was written with. */
function appendGateEdit(value: ParameterValue): EditSpec | undefined {
  if (value.origin.kind === 'override') {
    const valueSpan = value.origin.override.value.span();
    // An empty `-o name=` has no span to extend; a `-o { name = a, b }` value ends before its closing brace.
    if (!valueSpan) return undefined;
    return { span: { ...valueSpan, start: valueSpan.end }, newText: ',reject_unauth_destination' };
  }
  if (value.origin.kind !== 'main') return undefined;
  // The definition's logical line ends with its last item (a continued value too): the gate goes after it.
  const end = value.origin.definition.span.end;
  const separator = !value.raw.text.trim() ? ' ' : /,/.test(value.raw.text) ? ', ' : ' ';
  return { span: { file: value.origin.definition.span.file, start: end, end }, newText: `${separator}reject_unauth_destination` };
}

/** Neither list written: the compatibility_level that empties them, else main.cf's first line. */
function unwrittenSpan(config: PostfixConfig, service: MasterService | undefined): Span | undefined {
  const level = config.parameter('compatibility_level', service);
  const levelSpan = config.originSpan(level);
  if (levelSpan) return levelSpan;
  const source = config.main?.source;
  if (!source) return undefined;
  for (let line = 0; line < source.lineCount; line++) {
    const lineText = source.lineText(line);
    if (/^\s*(#|$)/.test(lineText)) continue;
    const start = source.lineStarts[line]!;
    return { file: source.path, start, end: start + lineText.trimEnd().length };
  }
  return { file: source.path, start: 0, end: 0 };
}
