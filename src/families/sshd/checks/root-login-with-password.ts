import { defineCheck, text } from '../../../core/check';
import { sshdModel } from '../formats';
import { contextsOf } from '../contexts';
import { rootPasswordLogin } from '../login';
import { valueSpan } from '../options';
import { placeIn, replaceValue, scopeOf } from './support';
import { ROOT_USER } from './password-login-from-internet';

export const rootLoginWithPassword = defineCheck({
  rule: 'sshd/root-login-with-password',
  model: sshdModel,
  run(config, report, context) {
    const seen = new Set<string>();
    for (const current of contextsOf(config, context.trusted, ROOT_USER)) {
      if (!current.public || !rootPasswordLogin(current.effective, current.client)) continue;
      const directive = current.effective.get('permitrootlogin').directive;
      if (!directive) continue;
      const placed = placeIn(config, valueSpan(directive), text('sshd.related-root-login'));
      if (!placed) continue;
      const key = `${placed.span.file}:${placed.span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report(
        placed.span,
        { scope: scopeOf(config, current) },
        { related: placed.related, suggestions: [{ title: 'prohibitPassword', edits: [replaceValue(directive, 'prohibit-password')] }] },
      );
    }
  },
});
