// Small configurations that pin down sshd's less obvious rules; the referee asks sshd about each of them too.
// A name ending in "(refused)" documents a configuration sshd refuses; the referee checks that we say so.
export const SNIPPETS: Array<{ name: string; files: Record<string, string> }> = [
  { name: 'first value wins', files: { sshd_config: 'PasswordAuthentication yes\nPasswordAuthentication no\nPermitRootLogin no\nPermitRootLogin yes\n' } },
  { name: 'keywords and values in any case', files: { sshd_config: 'passwordAUTHENTICATION NO\nPERMITROOTLOGIN Prohibit-Password\nloglevel verbose\n' } },
  { name: 'equals signs', files: { sshd_config: 'PermitRootLogin=yes\nMaxAuthTries = 3\nLoginGraceTime= 1m\nX11Forwarding =yes\n' } },
  { name: 'quotes and escapes', files: { sshd_config: 'Banner "/etc/issue net"\nAllowUsers "alice" \'bob\' carol\\ x\nAcceptEnv "LC_*"\n' } },
  { name: 'trailing comments', files: { sshd_config: 'PasswordAuthentication no # no passwords\nMaxAuthTries 4 #four\n  # an indented comment\n' } },
  { name: 'comment glued to a value (refused)', files: { sshd_config: 'MaxAuthTries 3#x\n' } },
  { name: 'white space and CRLF', files: { sshd_config: '  PasswordAuthentication\tno  \r\n\tPermitEmptyPasswords no\r\nPort 22\f\r\n' } },
  { name: 'a form feed before a keyword (refused)', files: { sshd_config: '\fPort 22\n' } },
  {
    name: 'Match All applies to everyone and replaces lists',
    files: { sshd_config: 'PasswordAuthentication no\nAllowUsers a b\nAllowUsers c\nMatch all\nPasswordAuthentication yes\nAllowUsers d\nPort 2222\n' },
  },
  { name: 'MaxStartups keeps the last value', files: { sshd_config: 'MaxStartups 5\nMaxStartups 7:30:20\nMaxStartups 9\n' } },
  {
    name: 'a matching block replaces the user lists',
    files: {
      sshd_config:
        'AllowUsers alice bob\nDenyUsers mallory\nAcceptEnv LANG\nAcceptEnv LC_*\nMatch Address 192.0.2.0/24\n  AllowUsers carol\n  AcceptEnv TZ\nMatch User carol\n  AllowUsers dave\n',
    },
  },
  {
    name: 'a drop-in read first wins over the main file',
    files: {
      sshd_config: 'Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM yes\n',
      'sshd_config.d/50-cloud-init.conf': 'PasswordAuthentication yes\n',
      'sshd_config.d/.hidden.conf': 'PermitRootLogin yes\n',
      'sshd_config.d/notes.txt': 'PermitRootLogin yes\n',
    },
  },
  {
    name: 'a Match in a drop-in ends with the drop-in',
    files: {
      sshd_config: 'Include sshd_config.d/*.conf\nPermitRootLogin no\nMaxAuthTries 3\n',
      'sshd_config.d/10-admins.conf': 'Match Address 198.51.100.0/24\n  PermitRootLogin yes\n',
      'sshd_config.d/20-more.conf': 'X11Forwarding yes\n',
    },
  },
  {
    name: 'Include inside a Match block',
    files: {
      sshd_config: 'PasswordAuthentication no\nMatch Address 10.0.0.0/8\n  Include /etc/ssh/match.d/*.conf\n',
      'match.d/a.conf': 'PasswordAuthentication yes\nMatch User bob\n  PermitRootLogin yes\n',
    },
  },
  {
    name: 'address lists: negation, short forms, wildcards, IPv6',
    files: {
      sshd_config:
        'PasswordAuthentication no\nMatch Address !10.1.0.0/16,10.0/8\n  PasswordAuthentication yes\nMatch Address 192.168.1.*,2001:db8::/32\n  PermitRootLogin no\nMatch Address 010.2.0.0/16\n  MaxAuthTries 2\n',
    },
  },
  {
    name: 'User, Group, Host criteria',
    files: {
      sshd_config:
        'Match User root Address 192.0.2.0/24\n  PermitRootLogin yes\nMatch Group root,adm\n  X11Forwarding yes\nMatch Host *.example.org,!bad.example.org\n  MaxSessions 2\nMatch User !root,*\n  AllowTcpForwarding no\n',
    },
  },
  {
    name: 'LocalPort and LocalAddress',
    files: { sshd_config: 'Port 22\nPort 2222\nMatch LocalPort 2222\n  PasswordAuthentication no\nMatch LocalAddress 192.0.2.1\n  MaxAuthTries 1\n' },
  },
  {
    name: 'AuthenticationMethods',
    files: {
      sshd_config: 'AuthenticationMethods publickey,password publickey,keyboard-interactive:pam\nMatch User admin\n  AuthenticationMethods publickey\n',
    },
  },
  { name: 'AuthenticationMethods any after a list (refused)', files: { sshd_config: 'AuthenticationMethods publickey\nAuthenticationMethods any\n' } },
  {
    name: 'keyboard-interactive aliases',
    files: { sshd_config: 'ChallengeResponseAuthentication no\nKbdInteractiveAuthentication yes\nSkeyAuthentication yes\n' },
  },
  { name: 'unknown keyword (refused)', files: { sshd_config: 'PasswordAuthentication no\nPasswordAuthenticaton yes\n' } },
  {
    name: '"any" inside Match after a global list (refused)',
    files: { sshd_config: 'AuthenticationMethods publickey\nMatch User admin\n  AuthenticationMethods any\n' },
  },
  { name: 'global keyword inside Match (refused)', files: { sshd_config: 'Match User bob\n  Port 2222\n' } },
  { name: 'bad value (refused)', files: { sshd_config: 'PermitRootLogin maybe\n' } },
  { name: 'extra arguments (refused)', files: { sshd_config: 'PasswordAuthentication no yes\n' } },
  { name: 'missing value (refused)', files: { sshd_config: 'PasswordAuthentication\n' } },
  { name: 'unbalanced quotes (refused)', files: { sshd_config: 'Banner "/etc/issue\n' } },
  { name: 'Match address with host bits (refused)', files: { sshd_config: 'Match Address 10.0.0.1/8\n  PasswordAuthentication yes\n' } },
  { name: 'Match with an unknown criterion (refused)', files: { sshd_config: 'Match Client 10.0.0.1\n  PasswordAuthentication yes\n' } },
  { name: 'duplicate subsystem (refused)', files: { sshd_config: 'Subsystem sftp /usr/lib/openssh/sftp-server\nSubsystem sftp internal-sftp\n' } },
  { name: 'keys command without user (refused)', files: { sshd_config: 'AuthorizedKeysCommand /usr/bin/true\n' } },
  {
    name: 'unsatisfiable AuthenticationMethods (refused)',
    files: { sshd_config: 'KbdInteractiveAuthentication no\nAuthenticationMethods keyboard-interactive\n' },
  },
  { name: 'include loop (refused)', files: { sshd_config: 'Include /etc/ssh/sshd_config\n' } },
  {
    name: 'algorithm lists',
    files: {
      sshd_config:
        'Ciphers +aes128-cbc,3des-cbc\nMACs ^hmac-sha1-96\nKexAlgorithms -diffie-hellman-group14-sha256,ecdh-*\nHostKeyAlgorithms ssh-ed25519,rsa-sha2-*\nCASignatureAlgorithms ssh-ed25519\nMatch User legacy\n  PubkeyAcceptedAlgorithms +ssh-rsa\n  HostbasedAcceptedAlgorithms ssh-ed25519*\n',
    },
  },
  { name: 'unknown cipher (refused)', files: { sshd_config: 'Ciphers arcfour\n' } },
  {
    name: 'listen addresses',
    files: { sshd_config: 'Port 22\nPort 2200\nListenAddress 0.0.0.0\nListenAddress [::1]:2222\nListenAddress 127.0.0.1:22\nListenAddress ::\n' },
  },
  { name: 'AddressFamily inet', files: { sshd_config: 'AddressFamily inet\nPort 2022\n' } },
  { name: 'log settings', files: { sshd_config: 'LogLevel DEBUG1\nSyslogFacility authpriv\nLogVerbose kex.c:*:* packet.c:*\n' } },
  {
    name: 'commands and chroot',
    files: {
      sshd_config: 'ForceCommand /usr/bin/menu --flag # kept\nChrootDirectory /srv/%u\nMatch User admin\n  ForceCommand none\n  ChrootDirectory none\n',
    },
  },
  { name: 'times', files: { sshd_config: 'ClientAliveInterval 1h30m\nLoginGraceTime 2m\nUnusedConnectionTimeout 5m\nClientAliveCountMax 0\n' } },
  { name: 'IPQoS', files: { sshd_config: 'IPQoS af21 cs1\nIPQoS 0x10\nMatch User bulk\n  IPQoS throughput\n' } },
  {
    name: 'forwarding permissions',
    files: { sshd_config: 'PermitOpen localhost:80 [::1]:8080 *:443\nPermitListen 8080 localhost:9090\nMatch User b\n  PermitOpen none\n' },
  },
  { name: 'environment', files: { sshd_config: 'SetEnv A=1 B=2 A=3\nSetEnv C=4\nPermitUserEnvironment LANG,LC_*\n' } },
  { name: 'channel timeouts', files: { sshd_config: 'ChannelTimeout session=5m forwarded-tcpip=1h\nUnusedConnectionTimeout none\n' } },
  { name: 'key options', files: { sshd_config: 'PubkeyAuthOptions verify-required touch-required\nStreamLocalBindMask 0177abc\nPort ssh\n' } },
  { name: 'user patterns with hosts', files: { sshd_config: 'DenyUsers root@203.0.113.0/24 *@10.1.*\nAllowUsers *@192.0.2.0/24 admin\n' } },
  {
    name: 'Match criteria written with = and quotes',
    files: {
      sshd_config:
        'PasswordAuthentication no\nMatch User="alice" Address=192.0.2.0/24\n  PasswordAuthentication yes\nMatch Host "*.example.org"\n  MaxSessions 3\n',
    },
  },
  {
    name: 'a Match inside a file included from a block that does not match never matches',
    files: {
      sshd_config: 'PasswordAuthentication yes\nMatch User operator\n  Include /etc/ssh/ops.d/*.conf\n',
      'ops.d/a.conf': 'Match all\n  PasswordAuthentication no\n  MaxAuthTries 2\n',
    },
  },
  {
    name: 'several Include arguments, in the order written',
    files: {
      sshd_config: 'Include /etc/ssh/b.conf /etc/ssh/a.conf "/etc/ssh/with space.conf"\n',
      'a.conf': 'MaxAuthTries 2\nX11Forwarding yes\n',
      'b.conf': 'MaxAuthTries 4\n',
      'with space.conf': 'PermitRootLogin no\n',
    },
  },
  {
    name: 'global keyword in a file included inside a Match block (refused)',
    files: { sshd_config: 'Match User bob\n  Include /etc/ssh/x.conf\n', 'x.conf': 'UsePAM yes\n' },
  },
  { name: 'Include of a file that does not exist', files: { sshd_config: 'Include /etc/ssh/missing.conf /etc/ssh/none.d/*.conf\nPermitRootLogin no\n' } },
  {
    name: 'deprecated keywords',
    files: { sshd_config: 'Protocol 2\nUsePrivilegeSeparation sandbox\nRSAAuthentication yes\nKeyRegenerationInterval 3600\nServerKeyBits 1024\n' },
  },
];
