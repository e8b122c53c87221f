import { defineCheck, text } from '../../../core/check';
import { sshdModel } from '../formats';
import { contextsOf } from '../contexts';
import { passwordLogin } from '../login';
import { valueSpan } from '../options';
import { DEFAULTS } from '../fields';
import { placeIn, replaceValue, scopeOf } from './support';

/** "Far above the default": more than twice sshd's own limit of 6 guesses per connection. */
const FAR_ABOVE = 2 * (DEFAULTS.maxauthtries as number);

export const maxAuthTriesHigh = defineCheck({
  rule: 'sshd/max-auth-tries-high',
  model: sshdModel,
  run(config, report, context) {
    const seen = new Set<string>();
    for (const current of contextsOf(config, context.trusted)) {
      if (!current.public || !passwordLogin(current.effective).possible) continue;
      const setting = current.effective.get('maxauthtries');
      if (!setting.directive || Number(setting.value) <= FAR_ABOVE) continue;
      const placed = placeIn(config, valueSpan(setting.directive), text('sshd.related-max-auth-tries'));
      if (!placed) continue;
      const key = `${placed.span.file}:${placed.span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report(
        placed.span,
        { value: String(setting.value), scope: scopeOf(config, current) },
        { related: placed.related, suggestions: [{ title: 'defaultTries', edits: [replaceValue(setting.directive, String(DEFAULTS.maxauthtries))] }] },
      );
    }
  },
});
