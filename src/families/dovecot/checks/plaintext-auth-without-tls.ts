// dovecot/plaintext-auth-without-tls: a login may send its password in clear text. login-common lets PLAIN and
// LOGIN through on a connection that is not TLS (nor trusted, nor from this host) only when
// disable_plaintext_auth = no (2.3) / auth_allow_cleartext = yes (2.4) and ssl is not `required`; with a
// global ssl = no every filter's ssl is ignored (config-parser.c) and no session can be encrypted at all.
import { dovecotModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import { isLoopbackOnly, judgeRange } from '../../../net';
import { type DovecotConfig, type DovecotSetting, dovecotBool } from '../model';
import { connectionOf, hasCleartextListener, listensBeyondLoopback } from '../listeners';
import { scopeLabel } from './scope';

const CLEARTEXT_MECHANISMS = new Set(['plain', 'login']);

export const plaintextAuthWithoutTls = defineCheck<DovecotConfig>({
  rule: 'dovecot/plaintext-auth-without-tls',
  model: dovecotModel,
  run(config, report, context) {
    if (!listensBeyondLoopback(config)) return;
    const globalSsl = config.value('ssl');
    const reported = new Set<DovecotSetting>();
    for (const filter of config.filters()) {
      const connection = connectionOf(filter);
      if (!connection) continue;
      // A remote filter for private networks only, or a local filter on loopback, is not what strangers reach.
      if (filter.remote?.parsed && judgeRange(filter.remote.parsed, context.trusted).exposed.isEmpty()) continue;
      if (filter.local?.set && isLoopbackOnly(filter.local.set)) continue;
      if (!hasCleartextListener(config, connection.protocol)) continue;
      const mechanisms = config
        .value('auth_mechanisms', connection)
        .toLowerCase()
        .split(/[\s,]+/);
      if (!mechanisms.some((mechanism) => CLEARTEXT_MECHANISMS.has(mechanism))) continue;
      // 2.4's auth_allow_cleartext replaces 2.3's disable_plaintext_auth (inverted).
      const allow = config.decide('auth_allow_cleartext', connection).setting;
      const disable = config.decide('disable_plaintext_auth', connection).setting;
      const decisive = allow ?? disable;
      if (!decisive || reported.has(decisive)) continue;
      const allowed = decisive === allow ? dovecotBool(decisive.value) === true : dovecotBool(decisive.value) === false;
      if (!allowed) continue;
      const ssl = globalSsl === 'no' ? 'no' : config.value('ssl', connection);
      if (ssl === 'required') continue;
      reported.add(decisive);
      report(
        decisive.span,
        {
          setting: decisive.key,
          value: decisive.value,
          scope: scopeLabel(decisive.filter),
          tls: ssl === 'no' ? text('dovecot.tls-off') : text('dovecot.tls-optional'),
        },
        {
          severity: ssl === 'no' ? 'error' : 'warning',
          suggestions: [
            {
              title: 'disallow',
              data: { setting: decisive.key, value: decisive === allow ? 'no' : 'yes' },
              edits: [{ span: decisive.valueSpan, newText: decisive === allow ? 'no' : 'yes' }],
            },
          ],
        },
      );
    }
  },
});
