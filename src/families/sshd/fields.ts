// The options the model evaluates: Debian's compiled-in defaults (what `sshd -T` prints for an empty file), which
// ones a matching Match block copies over the global value (copy_set_server_options).
import type { MaxStartupsValue, OptionStore, OptionValue } from './options';
import { INT_MAX } from './values';

/** Debian 12, openssh-server 1:9.2p1-2+deb12u10: the value of every modelled option nobody sets. */
export const DEFAULTS: Readonly<Record<string, OptionValue>> = {
  usepam: 'no',
  addressfamily: 'any',
  logingracetime: 120,
  x11displayoffset: 10,
  maxauthtries: 6,
  maxsessions: 10,
  clientaliveinterval: 0,
  clientalivecountmax: 3,
  requiredrsasize: 1024,
  streamlocalbindmask: 0o177,
  unusedconnectiontimeout: 0,
  permitrootlogin: 'without-password',
  ignorerhosts: 'yes',
  ignoreuserknownhosts: 'no',
  hostbasedauthentication: 'no',
  hostbasedusesnamefrompacketonly: 'no',
  pubkeyauthentication: 'yes',
  kerberosauthentication: 'no',
  kerberosorlocalpasswd: 'yes',
  kerberosticketcleanup: 'yes',
  gssapiauthentication: 'no',
  gssapicleanupcredentials: 'yes',
  gssapikeyexchange: 'no',
  gssapistrictacceptorcheck: 'yes',
  gssapistorecredentialsonrekey: 'no',
  passwordauthentication: 'yes',
  kbdinteractiveauthentication: 'yes',
  printmotd: 'yes',
  printlastlog: 'yes',
  x11forwarding: 'no',
  x11uselocalhost: 'yes',
  permittty: 'yes',
  permituserrc: 'yes',
  strictmodes: 'yes',
  tcpkeepalive: 'yes',
  permitemptypasswords: 'no',
  compression: 'yes',
  gatewayports: 'no',
  usedns: 'no',
  allowtcpforwarding: 'yes',
  allowagentforwarding: 'yes',
  disableforwarding: 'no',
  allowstreamlocalforwarding: 'yes',
  streamlocalbindunlink: 'no',
  fingerprinthash: 'SHA256',
  exposeauthinfo: 'no',
  loglevel: 'INFO',
  syslogfacility: 'AUTH',
  authorizedkeysfile: ['.ssh/authorized_keys', '.ssh/authorized_keys2'],
  persourcemaxstartups: INT_MAX,
  permittunnel: 'no',
  // Debian keeps the pre-8.4 IPQoS defaults (lowdelay for interactive, throughput for bulk).
  ipqos: [0x10, 0x08],
  permituserenvironment: 'no',
  pubkeyauthoptions: ['none'],
  port: [22],
};

/** Options a matching Match block overrides (copy_set_server_options, including COPY_MATCH_STRING_OPTS). */
export const COPIED_IN_MATCH: ReadonlySet<string> = new Set([
  'passwordauthentication',
  'gssapiauthentication',
  'pubkeyauthentication',
  'pubkeyauthoptions',
  'kerberosauthentication',
  'hostbasedauthentication',
  'hostbasedusesnamefrompacketonly',
  'kbdinteractiveauthentication',
  'permitrootlogin',
  'permitemptypasswords',
  'ignorerhosts',
  'allowtcpforwarding',
  'allowstreamlocalforwarding',
  'allowagentforwarding',
  'disableforwarding',
  'exposeauthinfo',
  'permittunnel',
  'gatewayports',
  'streamlocalbindunlink',
  'x11displayoffset',
  'x11forwarding',
  'x11uselocalhost',
  'permittty',
  'permituserrc',
  'maxsessions',
  'maxauthtries',
  'clientalivecountmax',
  'clientaliveinterval',
  'ipqos',
  'loglevel',
  'requiredrsasize',
  'unusedconnectiontimeout',
  'streamlocalbindmask',
  'banner',
  'authorizedkeyscommand',
  'authorizedkeyscommanduser',
  'authorizedprincipalscommand',
  'authorizedprincipalscommanduser',
  'hostbasedacceptedalgorithms',
  'pubkeyacceptedalgorithms',
  'casignaturealgorithms',
  'authorizedkeysfile',
  'allowusers',
  'denyusers',
  'allowgroups',
  'denygroups',
  'acceptenv',
  'setenv',
  'authenticationmethods',
  'permitopen',
  'permitlisten',
  'channeltimeout',
  'logverbose',
  'forcecommand',
  'chrootdirectory',
]);

/** fill_default_server_options() for the modelled options: defaults where unset, "none"/"any" lists cleared. */
export function fillDefaults(store: OptionStore): void {
  for (const [field, value] of Object.entries(DEFAULTS)) if (!store.has(field)) store.set(field, { value });
  const maxStartups = (store.get('maxstartups')?.value as MaxStartupsValue | undefined) ?? {};
  store.set('maxstartups', {
    value: { begin: maxStartups.begin ?? 10, rate: maxStartups.rate ?? 30, max: maxStartups.max ?? 100 },
    ...(store.get('maxstartups')?.directive ? { directive: store.get('maxstartups')!.directive! } : {}),
  });
  const clear = (field: string, word: string) => {
    const value = store.get(field)?.value;
    if (Array.isArray(value) && value.length === 1 && String(value[0]).toLowerCase() === word) store.delete(field);
  };
  clear('authenticationmethods', 'any');
  clear('channeltimeout', 'none');
}
