// The keywords of sshd_config as Debian 12's sshd (OpenSSH 9.2p1, openssh-server 1:9.2p1-2+deb12u10) knows them:
// servconf.c's keywords[] table with its build options (PAM, Kerberos and GSSAPI on, AFS off, no routing
// domains on Linux) and Debian's GSSAPI key-exchange and banner patches. `scope` is the table's flag:
// 'all' keywords may appear inside a Match block, 'global' ones make sshd refuse to start there.

export type Scope = 'global' | 'all';

export interface KeywordSpec {
  /** The keyword as written in the table (lower case). */
  name: string;
  /** The handler it shares with its aliases (servconf.c's opcode). */
  opcode: string;
  scope: Scope;
}

// name opcode scope ('g' global, 'a' all); an opcode named after its first keyword is written '='.
const TABLE = `
usepam = g|pamauthenticationviakbdint deprecated g|port = g|hostkey = g|hostdsakey hostkey g|hostkeyagent = g
pidfile = g|modulifile = g|serverkeybits deprecated g|logingracetime = g|keyregenerationinterval deprecated g
permitrootlogin = a|syslogfacility = g|loglevel = a|logverbose = a|rhostsauthentication deprecated g
rhostsrsaauthentication deprecated a|hostbasedauthentication = a|hostbasedusesnamefrompacketonly = a
hostbasedacceptedalgorithms = a|hostbasedacceptedkeytypes hostbasedacceptedalgorithms a|hostkeyalgorithms = g
rsaauthentication deprecated a|pubkeyauthentication = a|pubkeyacceptedalgorithms = a
pubkeyacceptedkeytypes pubkeyacceptedalgorithms a|pubkeyauthoptions = a|dsaauthentication pubkeyauthentication g
kerberosauthentication = a|kerberosorlocalpasswd = g|kerberosticketcleanup = g|kerberosgetafstoken unsupported g
kerberostgtpassing unsupported g|afstokenpassing unsupported g|gssapiauthentication = a|gssapicleanupcredentials = g
gssapicleanupcreds gssapicleanupcredentials g|gssapistrictacceptorcheck = g|gssapikeyexchange = g
gssapistorecredentialsonrekey = g|gssapikexalgorithms = g|gssapiusesessioncredcache unsupported g
debianbanner = g|passwordauthentication = a|kbdinteractiveauthentication = a
challengeresponseauthentication kbdinteractiveauthentication a|skeyauthentication kbdinteractiveauthentication a
checkmail deprecated g|listenaddress = g|addressfamily = g|printmotd = g|printlastlog = g|ignorerhosts = a
ignoreuserknownhosts = g|x11forwarding = a|x11displayoffset = a|x11uselocalhost = a|xauthlocation = g|strictmodes = g
permitemptypasswords = a|permituserenvironment = g|uselogin deprecated g|compression = g|rekeylimit = a
tcpkeepalive = g|keepalive tcpkeepalive g|allowtcpforwarding = a|allowagentforwarding = a|allowusers = a|denyusers = a
allowgroups = a|denygroups = a|ciphers = g|macs = g|protocol ignore g|gatewayports = a|subsystem = g|maxstartups = g
persourcemaxstartups = g|persourcenetblocksize = g|maxauthtries = a|maxsessions = a|banner = a|usedns = g
verifyreversemapping deprecated g|reversemappingcheck deprecated g|clientaliveinterval = a|clientalivecountmax = a
authorizedkeysfile = a|authorizedkeysfile2 deprecated a|useprivilegeseparation deprecated g|acceptenv = a|setenv = a
permittunnel = a|permittty = a|permituserrc = a|match = a|permitopen = a|permitlisten = a|forcecommand = a
chrootdirectory = a|hostcertificate = g|revokedkeys = a|trustedusercakeys = a|authorizedprincipalsfile = a
kexalgorithms = g|include = a|ipqos = a|authorizedkeyscommand = a|authorizedkeyscommanduser = a
authorizedprincipalscommand = a|authorizedprincipalscommanduser = a|versionaddendum = g|authenticationmethods = a
streamlocalbindmask = a|streamlocalbindunlink = a|allowstreamlocalforwarding = a|fingerprinthash = g
disableforwarding = a|exposeauthinfo = a|rdomain = a|casignaturealgorithms = a|securitykeyprovider = g
requiredrsasize = a|channeltimeout = a|unusedconnectiontimeout = a`;

export const KEYWORDS: ReadonlyMap<string, KeywordSpec> = new Map(
  TABLE.trim()
    .split(/[|\n]/)
    .map((row) => {
      const [name, opcode, scope] = row.trim().split(/\s+/) as [string, string, string];
      return [name, { name, opcode: opcode === '=' ? name : opcode, scope: scope === 'a' ? 'all' : 'global' }] as const;
    }),
);

/** The keyword spec for a name as written (case-insensitive), undefined for keywords sshd does not know. */
export function keyword(name: string): KeywordSpec | undefined {
  return KEYWORDS.get(name.toLowerCase());
}
