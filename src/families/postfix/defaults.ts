// Built-in values of the parameters the checks read, as Postfix 3.7 (Debian 12) defines them.
// postconf(5) gives some defaults as compatibility_level expressions; those are decided here.

/** Postfix compares compatibility levels as dotted numbers ("3.6" >= 2); `wanted` is a whole number. */
export function compatibilityAtLeast(level: string, wanted: number): boolean {
  const major = Number.parseInt(level.trim().split('.')[0] ?? '', 10) || 0;
  return major >= wanted;
}

/**
 * The built-in value of a parameter; `compatibilityLevel` (when a function) is asked only for the parameters
 * whose default depends on it, so evaluating compatibility_level itself never needs it.
 */
export function defaultValue(name: string, compatibilityLevel: string | (() => string)): string | undefined {
  const level = () => (typeof compatibilityLevel === 'string' ? compatibilityLevel : compatibilityLevel());
  switch (name) {
    case 'compatibility_level':
      return '0';
    case 'mynetworks_style':
      return compatibilityAtLeast(level(), 2) ? 'host' : 'subnet';
    case 'smtpd_relay_restrictions':
      return compatibilityAtLeast(level(), 1) ? 'permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination' : '';
    case 'config_directory':
      return '/etc/postfix';
    case 'inet_interfaces':
    case 'inet_protocols':
      return 'all';
    // postconf(5): 0 means no limit; anvil(8) counts AUTH requests per client and anvil_rate_time_unit.
    case 'smtpd_client_auth_rate_limit':
      return '0';
    case 'smtpd_sasl_auth_enable':
    case 'smtpd_tls_auth_only':
    case 'smtpd_enforce_tls':
    case 'smtpd_use_tls':
    case 'smtpd_tls_wrappermode':
      return 'no';
    case 'smtpd_client_restrictions':
    case 'smtpd_helo_restrictions':
    case 'smtpd_sender_restrictions':
    case 'smtpd_recipient_restrictions':
    case 'smtpd_restriction_classes':
    case 'smtpd_tls_security_level':
    case 'relayhost':
      return '';
    default:
      return undefined;
  }
}
