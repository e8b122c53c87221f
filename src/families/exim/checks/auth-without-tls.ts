import { defineCheck, text } from '../../../core/check';
import { eximModel } from '../formats';
import type { Driver, EximConfig } from '../model';
import { matchHosts } from '../lists';
import type { Tracked } from '../tracked';

/** Advertises an authenticator only once TLS is active (Exim spec, "Authentication on an Exim server"). */
const TLS_ONLY = '${if eq{$tls_in_cipher}{}{}{*}}';

/** Mechanisms that carry the password itself (RFC 4616 PLAIN, the LOGIN draft). */
const CLEAR_MECHANISMS = new Set(['PLAIN', 'LOGIN']);
/** Server-only drivers that hand the mechanism to Dovecot, Cyrus SASL or GNU SASL. */
const SASL_DRIVERS = new Set(['dovecot', 'cyrus_sasl', 'gsasl']);

/** A condition or host list that depends on TLS being active (`$tls_in_cipher`, older `$tls_cipher`). */
export function dependsOnTls(value: Tracked | undefined): boolean {
  return value !== undefined && /\$\{?(tls_in_cipher|tls_cipher|tls_in_ver|tls_in_bits)/.test(value.text);
}

/** The mechanism a server authenticator offers in clear text, or undefined. */
export function clearTextMechanism(driver: Driver): string | undefined {
  const kind = driver.options.get('driver')?.value.text.trim();
  const mechanism = (driver.options.get('public_name')?.value.text.trim() || driver.options.get('server_mech')?.value.text.trim() || driver.name).toUpperCase();
  if (!CLEAR_MECHANISMS.has(mechanism)) return undefined;
  if (kind === 'plaintext') return driver.options.has('server_condition') ? mechanism : undefined;
  return kind && SASL_DRIVERS.has(kind) ? mechanism : undefined;
}

/** Whether Exim offers this authenticator to a client without TLS (auth_advertise_hosts defaults to `*`). */
export function advertisedWithoutTls(config: EximConfig, driver: Driver): boolean {
  if (!clearTextMechanism(driver)) return false;
  if (dependsOnTls(driver.options.get('server_advertise_condition')?.value)) return false;
  const advertise = config.option('auth_advertise_hosts');
  if (!advertise) return true;
  if (dependsOnTls(advertise.value)) return false;
  return matchHosts(config, advertise.value, undefined) !== 'no';
}

export const authWithoutTls = defineCheck<EximConfig>({
  rule: 'exim/auth-without-tls',
  model: eximModel,
  run(config, report) {
    for (const driver of config.authenticators) {
      if (!advertisedWithoutTls(config, driver)) continue;
      const condition = driver.options.get('server_advertise_condition');
      const driverLine = driver.options.get('driver');
      const span = driver.nameSpan;
      const source = config.sourceOf(span.file);
      const indent =
        driverLine && source ? (/^[ \t]*/.exec(source.text.slice(source.lineStarts[source.positionAt(driverLine.span.start).line]))?.[0] ?? '  ') : '  ';
      report(
        span,
        { name: driver.name, mechanism: clearTextMechanism(driver)! },
        {
          suggestions:
            !condition && driverLine
              ? [
                  {
                    title: 'tls-only',
                    edits: [
                      {
                        span: { file: driverLine.span.file, start: driverLine.span.end, end: driverLine.span.end },
                        newText: `\n${indent}server_advertise_condition = ${TLS_ONLY}`,
                      },
                    ],
                  },
                ]
              : [],
          related: condition ? [{ span: condition.span, message: text('exim.related-advertise-condition') }] : [],
        },
      );
    }
  },
});
