import { type EditSpec, defineCheck, text } from '../../../core/check';
import { sshdModel } from '../formats';
import type { Directive } from '../options';
import { valueSpan } from '../options';
import type { SshdConfig } from '../model';
import { ALGORITHM_OPTIONS, LEGACY_ALGORITHMS, assembleAlgorithms } from '../algorithms';
import { contextsOf } from '../contexts';
import { deleteLine, placeIn } from './support';

/**
 * The edit that drops the legacy names from a list written as names (explicit, `+` or `^`): the line goes when
 * a `+`/`^` list held nothing else. Undefined for wildcards and `-` lists (a person should rewrite those).
 */
function withoutLegacy(config: SshdConfig, directive: Directive): EditSpec | undefined {
  const token = directive.args[0];
  if (!token || directive.args.length !== 1 || /[*?!]/.test(token.value) || token.value.startsWith('-')) return undefined;
  const prefix = /^[+^]/.test(token.value) ? token.value[0]! : '';
  const names = token.value.slice(prefix.length).split(',');
  const kept = names.filter((name) => !LEGACY_ALGORITHMS.has(name));
  if (kept.length === names.length) return undefined;
  if (kept.length > 0) return { span: valueSpan(directive), newText: `${prefix}${kept.join(',')}` };
  return prefix === '' ? undefined : deleteLine(config, directive);
}

export const legacyAlgorithms = defineCheck({
  rule: 'sshd/legacy-algorithms',
  model: sshdModel,
  run(config, report, context) {
    const seen = new Set<Directive>();
    for (const current of contextsOf(config, context.trusted))
      for (const option of Object.keys(ALGORITHM_OPTIONS)) {
        const setting = current.effective.get(option);
        const directive = setting.directive;
        if (!directive || seen.has(directive)) continue;
        const legacy = (assembleAlgorithms(option, String(setting.value)) ?? []).filter((name) => LEGACY_ALGORITHMS.has(name));
        if (legacy.length === 0) continue;
        seen.add(directive);
        const placed = placeIn(config, valueSpan(directive), text('sshd.related-algorithms-here'));
        if (!placed) continue;
        const edit = withoutLegacy(config, directive);
        report(
          placed.span,
          { keyword: directive.line.keyword.value, names: legacy.join(', ') },
          { related: placed.related, ...(edit ? { suggestions: [{ title: 'removeLegacy', data: { names: legacy.join(', ') }, edits: [edit] }] } : {}) },
        );
      }
  },
});
