// dovecot/auth-failure-delay-disabled: auth_failure_delay = 0. The auth process answers a failed login after
// this delay (auth-request-handler.c; default 2 secs); without it a guessing client learns each answer at once.
import { dovecotModel } from '../formats';
import { defineCheck } from '../../../core/check';
import { type DovecotConfig, type DovecotSetting, dovecotMilliseconds } from '../model';
import { connectionOf } from '../listeners';
import { scopeLabel } from './scope';

export const authFailureDelayDisabled = defineCheck<DovecotConfig>({
  rule: 'dovecot/auth-failure-delay-disabled',
  model: dovecotModel,
  run(config, report) {
    const seen = new Set<DovecotSetting>();
    for (const filter of config.filters()) {
      const connection = connectionOf(filter);
      const setting = connection && config.decide('auth_failure_delay', connection).setting;
      if (!setting || seen.has(setting) || dovecotMilliseconds(setting.value) !== 0) continue;
      seen.add(setting);
      report(
        setting.span,
        { value: setting.value, scope: scopeLabel(setting.filter) },
        { suggestions: [{ title: 'restore', edits: [{ span: setting.valueSpan, newText: '2 secs' }] }] },
      );
    }
  },
});
