// Generated inputs per format: realistic files of any size (the growth series) and pathological structures
// (cycles, include fan-out, exponential expansion, YAML alias and merge-key bombs, deep nesting, huge lines).
import type { Random } from './random';

export interface Generated {
  path: string;
  text: string;
  /** Other files reachable while linting (included files), by absolute path. */
  files: Record<string, string>;
}

type Files = Record<string, string>;

export interface FormatSpec {
  /** Where a file of this format usually lives (its name makes detection sure). */
  path: string;
  /** A realistic file of about `lines` lines. */
  grow(lines: number): string;
  /** One line holding a list of `items` entries (4 MB lines). */
  longLine(items: number): string;
  /** `depth` nested blocks (when the format nests). */
  nest?(depth: number): string;
  /** Format-specific pathological structures; `size` is a scale the generator interprets (depth, fan-out...). */
  patho?: Record<string, (size: number, r: Random) => { text: string; files?: Files; path?: string }>;
}

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const pub = (i: number) => `198.${51 + ((i >> 16) & 3)}.${(i >> 8) & 255}.${i & 255}`;
const times = (n: number, f: (i: number) => string, joiner = '\n') => Array.from({ length: Math.max(0, n) }, (_, i) => f(i)).join(joiner);
/** Lines made from a unit of `per` lines until about `lines` lines. */
const unitLines = (lines: number, per: number, unit: (i: number) => string) => times(Math.max(1, Math.ceil(lines / per)), unit);

/** An include tree: `fan` files per level, `depth` levels, each file including the next level's files. */
function fanOut(depth: number, fan: number, dir: string, ext: string, includeLine: (pattern: string) => string, body: (n: string) => string): Files {
  const files: Files = {};
  for (let level = 1; level <= depth; level++)
    for (let i = 0; i < fan; i++)
      files[`${dir}/l${level}/f${i}${ext}`] = `${body(`${level}-${i}`)}\n${level < depth ? includeLine(`${dir}/l${level + 1}/*${ext}`) : ''}\n`;
  return files;
}

/** YAML alias bomb (billion laughs) and merge-key bomb, under `prefix` keys. */
function yamlAliasBomb(levels: number, key = 'x'): string {
  const out = [`${key}0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i <= levels; i++) out.push(`${key}${i}: &a${i} [${times(9, () => `*a${i - 1}`, ', ')}]`);
  return out.join('\n');
}
function yamlMergeBomb(levels: number, key = 'x'): string {
  const out = [`${key}0: &m0\n  k0: v`];
  for (let i = 1; i <= levels; i++) out.push(`${key}${i}: &m${i}\n  <<: [*m${i - 1}, *m${i - 1}]\n  k${i}: v`);
  return out.join('\n');
}
const yamlDeep = (depth: number) => times(depth, (i) => `${' '.repeat(Math.min(i, 2000) * 1)}k${i}:`) + ' v';
const yamlFlowDeep = (depth: number) => `k: ${'['.repeat(depth)}1${']'.repeat(depth)}\nm: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;

export const SPECS: Record<string, FormatSpec> = {
  'sshd-config': {
    path: '/etc/ssh/sshd_config',
    grow: (n) =>
      'Port 22\nPermitRootLogin no\n' +
      unitLines(n, 4, (i) => `ListenAddress ${ip(i)}\nMatch Address ${pub(i)}/32,${ip(i)}\n  PasswordAuthentication yes\n  AllowUsers u${i}@${ip(i)}`),
    longLine: (n) => `AllowUsers ${times(n, (i) => `u${i}@${ip(i)}`, ' ')}\nPasswordAuthentication yes`,
    patho: {
      includeCycle: () => ({
        text: 'Include /etc/ssh/sshd_config\nInclude /etc/ssh/a.conf\nPort 22',
        files: { '/etc/ssh/a.conf': 'Include /etc/ssh/sshd_config\nInclude /etc/ssh/a.conf' },
      }),
      includeFan: (size) => ({
        text: 'Include /etc/ssh/fan/l1/*.conf\nPasswordAuthentication yes',
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/ssh/fan',
          '.conf',
          (p) => `Include ${p}`,
          (n) => `Match Address ${ip(n.length)}\n  PermitRootLogin yes`,
        ),
      }),
      matchNoise: (size) => ({ text: times(size, (i) => `Match User u${i} Address ${'!'.repeat(i % 3)}${ip(i)}/${i % 33},*${'?'.repeat(i % 5)}`) }),
    },
  },
  'postfix-main': {
    path: '/etc/postfix/main.cf',
    grow: (n) =>
      'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\n' +
      unitLines(n, 3, (i) => `param_${i} = value${i} $myhostname\nmynetworks = 127.0.0.0/8 ${ip(i)}/24\n    ${pub(i)}/32`),
    longLine: (n) => `mynetworks = ${times(n, (i) => `${ip(i)}/32`, ' ')}`,
    patho: {
      expansionChain: (size) => ({
        text: `a0 = 10.0.0.0/8\n${times(Math.min(size, 60), (i) => `a${i + 1} = $a${i} $a${i}`)}\nmynetworks = $a${Math.min(size, 60)}\nrelay_domains = $a${Math.min(size, 60)}`,
      }),
      bracedChain: (size) => ({
        text: `b0 = x\n${times(Math.min(size, 60), (i) => `b${i + 1} = \${b${i}} \${b${i}?\${b${i}}} \${b${i}:{$b${i}}}`)}\nmynetworks = \${b${Math.min(size, 60)}}`,
      }),
      cycles: () => ({
        text: 'mynetworks = $mynetworks\nmyhostname = $mydomain\nmydomain = $myhostname\ncompatibility_level = $foo\nfoo = $bar\nbar = ${foo?$foo}\nrelayhost = $relayhost\nsmtpd_recipient_restrictions = $smtpd_recipient_restrictions, permit',
      }),
      conditionalNest: (size) => ({ text: `mynetworks = ${'${a?{'.repeat(Math.min(size, 5000))}10.0.0.0/8${'}}'.repeat(Math.min(size, 5000))}` }),
      bigList: (size) => ({ text: `mynetworks =\n${times(size, (i) => `    ${i % 7 === 0 ? pub(i) : ip(i)}/${8 + (i % 25)}`)}` }),
      withMaster: (size) => ({
        text: `a0 = x\n${times(Math.min(size, 40), (i) => `a${i + 1} = $a${i},$a${i}`)}`,
        files: { '/etc/postfix/master.cf': `smtp inet n - y - - smtpd\n  -o smtpd_client_restrictions=$a${Math.min(size, 40)}\n  -o mynetworks=$mynetworks` },
      }),
    },
  },
  'postfix-master': {
    path: '/etc/postfix/master.cf',
    grow: (n) =>
      unitLines(
        n,
        3,
        (i) =>
          `s${i}      inet  n       -       y       -       -       smtpd\n  -o smtpd_client_restrictions=permit_mynetworks,reject\n  -o mynetworks=${ip(i)}/24`,
      ),
    longLine: (n) => `smtp inet n - y - - smtpd -o mynetworks=${times(n, (i) => `${ip(i)}/32`, ',')}`,
    patho: {
      withMain: (size) => ({
        text: `smtp inet n - y - - smtpd\n  -o smtpd_client_restrictions=$a${Math.min(size, 60)}\n  -o mynetworks=$mynetworks`,
        files: { '/etc/postfix/main.cf': `a0 = x\n${times(Math.min(size, 60), (i) => `a${i + 1} = $a${i} $a${i}`)}\nmynetworks = $mynetworks` },
      }),
    },
  },
  'exim-conf': {
    path: '/etc/exim4/exim4.conf',
    grow: (n) =>
      `${unitLines(n / 2, 1, (i) => `MACRO_${i} = ${ip(i)}`)}\nhostlist relay_from_hosts = 127.0.0.1\nbegin acl\nacl_check_rcpt:\n${unitLines(n / 2, 2, (i) => `  accept hosts = ${ip(i)} : ${pub(i)}\n         domains = +local_domains`)}\nbegin routers`,
    longLine: (n) => `hostlist relay_from_hosts = ${times(n, (i) => ip(i), ' : ')}\nbegin acl\nacl_check_rcpt:\n  accept hosts = +relay_from_hosts`,
    nest: (d) => `X = ${'${if eq{a}{b}{'.repeat(d)}x${'}}'.repeat(d)}`,
    patho: {
      macroChain: (size) => ({
        text: `M0 = 10.0.0.0/8\n${times(Math.min(size, 60), (i) => `M${i + 1} = M${i} : M${i}`)}\nhostlist relay_from_hosts = M${Math.min(size, 60)}\nbegin acl\nacl_check_rcpt:\n  accept hosts = +relay_from_hosts`,
      }),
      listChain: (size) => ({
        text: `hostlist h0 = 10.0.0.0/8\n${times(Math.min(size, 60), (i) => `hostlist h${i + 1} = +h${i} : +h${i}`)}\nhostlist relay_from_hosts = +h${Math.min(size, 60)}\nhostlist cyc = +cyc\nbegin acl\nacl_check_rcpt:\n  accept hosts = +relay_from_hosts : +cyc`,
      }),
      includeCycle: () => ({
        text: '.include /etc/exim4/exim4.conf\n.include /etc/exim4/a.conf\nbegin acl',
        files: { '/etc/exim4/a.conf': '.include /etc/exim4/exim4.conf\n.include_if_exists /etc/exim4/a.conf' },
      }),
      includeFan: (size) => ({
        text: '.include /etc/exim4/fan/l1/f0.conf\n.include /etc/exim4/fan/l1/f1.conf',
        files: fanOutExplicit(
          Math.min(12, 3 + (size % 10)),
          2,
          '/etc/exim4/fan',
          '.conf',
          (p) => `.include ${p}`,
          (n) => `MACRO_${n.replace('-', '_')} = x`,
        ),
      }),
      conditionals: (size) => ({
        text: `${times(size, (i) => `.ifdef M${i}`)}\nhostlist relay_from_hosts = 0.0.0.0/0\n${times(size / 2, () => '.endif')}\n.else\n.elifdef`,
      }),
    },
  },
  'exim-debconf': {
    path: '/etc/exim4/update-exim4.conf.conf',
    grow: (n) => `dc_eximconfig_configtype='internet'\n${unitLines(n, 1, (i) => `dc_other_${i}='${ip(i)}'`)}\ndc_relay_nets='${pub(1)}/24'`,
    longLine: (n) => `dc_relay_nets='${times(n, (i) => `${ip(i)}/32`, ';')}'\ndc_local_interfaces='${times(n, (i) => ip(i), ' ; ')}'`,
  },
  'sendmail-mc': {
    path: '/etc/mail/sendmail.mc',
    grow: (n) =>
      `divert(-1)dnl\ninclude(\`/usr/share/sendmail/cf/m4/cf.m4')dnl\nOSTYPE(\`debian')dnl\n${unitLines(n, 2, (i) => `DAEMON_OPTIONS(\`Family=inet, Name=MTA${i}, Port=smtp, Addr=${ip(i)}')dnl\nFEATURE(\`f${i}')dnl`)}\nMAILER(\`smtp')dnl`,
    longLine: (n) => `DAEMON_OPTIONS(\`Family=inet, Name=MTA, Port=smtp, Addr=${times(n, (i) => ip(i), ',')}')dnl`,
    nest: (d) => `define(${'`'.repeat(d)}x${"'".repeat(d)})dnl\nFEATURE(${'('.repeat(d)}x${')'.repeat(d)})dnl`,
    patho: {
      defineChain: (size) => ({
        text: `define(\`A0', \`0.0.0.0')dnl\n${times(Math.min(size, 60), (i) => `define(\`A${i + 1}', \`A${i} A${i}')dnl`)}\nDAEMON_OPTIONS(\`Port=smtp, Addr=A${Math.min(size, 60)}, Name=MTA')dnl`,
      }),
    },
  },
  'sendmail-access': {
    path: '/etc/mail/access',
    grow: (n) => unitLines(n, 2, (i) => `Connect:${ip(i)}\tRELAY\nConnect:${pub(i)}\tREJECT`),
    longLine: (n) => `Connect:${times(n, (i) => ip(i), '')}\tRELAY`,
  },
  'sendmail-relay-domains': {
    path: '/etc/mail/relay-domains',
    grow: (n) => unitLines(n, 1, (i) => (i % 3 ? `host${i}.example.com` : ip(i))),
    longLine: (n) => times(n, (i) => `h${i}.example.com`, ' '),
  },
  'dovecot-conf': {
    path: '/etc/dovecot/dovecot.conf',
    grow: (n) =>
      `protocols = imap pop3\n${unitLines(n, 6, (i) => `service imap-login${i} {\n  inet_listener imap {\n    address = ${ip(i)}\n    port = ${i % 65536}\n  }\n}`)}\nlogin_trusted_networks = ${pub(3)}/24`,
    longLine: (n) => `login_trusted_networks = ${times(n, (i) => `${ip(i)}/32`, ' ')}`,
    nest: (d) => `${times(d, (i) => `s${i} {`)}\nport = 1\n${'}\n'.repeat(d)}`,
    patho: {
      includeCycle: () => ({
        text: '!include /etc/dovecot/dovecot.conf\n!include_try /etc/dovecot/a.conf\ndisable_plaintext_auth = no',
        files: { '/etc/dovecot/a.conf': '!include /etc/dovecot/dovecot.conf\n!include /etc/dovecot/a.conf' },
      }),
      includeFan: (size) => ({
        text: '!include /etc/dovecot/fan/l1/*.conf',
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/dovecot/fan',
          '.conf',
          (p) => `!include ${p}`,
          (n) => `# ${n}\nauth_mechanisms = plain login`,
        ),
      }),
      variableChain: (size) => ({
        text: `a0 = x\n${times(Math.min(size, 60), (i) => `a${i + 1} = $a${i} $a${i}`)}\nlogin_trusted_networks = $a${Math.min(size, 60)}\nauth_mechanisms = $auth_mechanisms plain`,
      }),
      unbalancedQuotes: (size) => ({ text: times(size, (i) => `k${i} = "${'\\"'.repeat(i % 7)}<${'{'.repeat(i % 3)}`) }),
    },
  },
  'squid-conf': {
    path: '/etc/squid/squid.conf',
    grow: (n) => `http_port 3128\n${unitLines(n, 2, (i) => `acl net${i} src ${ip(i)}/24 ${pub(i)}/32\nhttp_access allow net${i}`)}\nhttp_access deny all`,
    longLine: (n) => `acl big src ${times(n, (i) => `${ip(i)}/32`, ' ')}\nhttp_access allow big`,
    patho: {
      includeCycle: () => ({
        text: 'include /etc/squid/squid.conf\ninclude /etc/squid/a.conf\nhttp_access allow all',
        files: { '/etc/squid/a.conf': 'include /etc/squid/squid.conf\ninclude /etc/squid/a.conf' },
      }),
      includeFan: (size) => ({
        text: 'include /etc/squid/fan/l1/*.conf\nhttp_access allow all',
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/squid/fan',
          '.conf',
          (p) => `include ${p}`,
          (n) => `acl a${n.replace('-', '_')} src 0.0.0.0/0`,
        ),
      }),
      aclFiles: (size) => {
        const files: Files = {};
        for (let i = 0; i < Math.min(size, 200); i++) files[`/etc/squid/l${i}.txt`] = times(Math.min(size, 100), (j) => `${ip(i * 100 + j)}/32`);
        return { text: `${times(Math.min(size, 200), (i) => `acl a${i} src "/etc/squid/l${i}.txt"\nhttp_access allow a${i}`)}`, files };
      },
      regexAcl: (size) => ({ text: `acl r url_regex ^(a+)+$ ${'('.repeat(size % 500)}x\nacl d dstdom_regex -i (.*)*${'a'.repeat(size)}\nhttp_access allow r` }),
    },
  },
  'redis-conf': {
    path: '/etc/redis/redis.conf',
    grow: (n) => `protected-mode yes\n${unitLines(n, 2, (i) => `bind ${ip(i)} ${pub(i)}\nrename-command CMD${i} ""`)}\nport 6379`,
    longLine: (n) => `bind ${times(n, (i) => ip(i), ' ')}\nprotected-mode no`,
    patho: {
      includeCycle: () => ({
        text: 'include /etc/redis/redis.conf\ninclude /etc/redis/a.conf\nprotected-mode no',
        files: { '/etc/redis/a.conf': 'include /etc/redis/redis.conf\ninclude /etc/redis/a.conf' },
      }),
      includeFan: (size) => ({
        text: 'include /etc/redis/fan/l1/*.conf\nbind 0.0.0.0',
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/redis/fan',
          '.conf',
          (p) => `include ${p}`,
          (n) => `# ${n}\nprotected-mode no`,
        ),
      }),
      quotes: (size) => ({ text: times(size, (i) => `requirepass "${'\\x'.repeat(i % 9)}${'"'.repeat(i % 3)}`) }),
    },
  },
  'mysql-cnf': {
    path: '/etc/mysql/my.cnf',
    grow: (n) => `[mysqld]\n${unitLines(n, 3, (i) => `bind-address = ${ip(i)}\nkey_${i} = value ${i}\n[group${i}]`)}`,
    longLine: (n) => `[mysqld]\nbind-address = ${times(n, (i) => ip(i), ',')}`,
    patho: {
      includeCycle: () => ({
        text: '[mysqld]\n!include /etc/mysql/my.cnf\n!includedir /etc/mysql/conf.d/\nbind-address = 0.0.0.0',
        files: { '/etc/mysql/conf.d/a.cnf': '!include /etc/mysql/my.cnf\n!includedir /etc/mysql/conf.d\n[mysqld]\nskip-grant-tables' },
      }),
      includeFan: (size) => ({
        text: '!includedir /etc/mysql/fan/l1/',
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/mysql/fan',
          '.cnf',
          (p) => `!includedir ${p.replace(/\*\.cnf$/, '')}`,
          () => '[mysqld]\nbind-address = 0.0.0.0',
        ),
      }),
      spacedHeader: (size) => ({
        text: `[${' '.repeat(size * 10)}x\n[${'\t'.repeat(size)}mysqld${' '.repeat(size)}\n!include${' '.repeat(size * 10)}x${' '.repeat(size * 10)}\nk${' '.repeat(size * 10)}=${' '.repeat(size * 10)}v`,
      }),
    },
  },
  'pg-hba': {
    path: '/etc/postgresql/16/main/pg_hba.conf',
    grow: (n) => `local all postgres peer\n${unitLines(n, 2, (i) => `host all all ${ip(i)}/24 scram-sha-256\nhostssl db${i} u${i} ${pub(i)}/32 md5`)}`,
    longLine: (n) => `host ${times(n, (i) => `db${i}`, ',')} all 0.0.0.0/0 trust`,
    patho: {
      includeCycle: () => ({
        text: 'include pg_hba.conf\ninclude_dir /etc/postgresql/16/main\nhost all all 0.0.0.0/0 trust',
        files: { '/etc/postgresql/16/main/a.conf': 'include /etc/postgresql/16/main/pg_hba.conf\ninclude_if_exists a.conf' },
      }),
      includeFan: (size) => ({
        text: 'include_dir /etc/postgresql/fan/l1\nhost all all 0.0.0.0/0 trust',
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/postgresql/fan',
          '.conf',
          (p) => `include_dir ${p.replace(/\/\*\.conf$/, '')}`,
          () => 'host all all 10.0.0.0/8 trust',
        ),
      }),
      atFiles: (size) => {
        const files: Files = {};
        for (let i = 0; i < Math.min(size, 100); i++) files[`/etc/postgresql/16/main/u${i}.txt`] = `@u${i + 1}.txt\n@u${i}.txt\nuser${i}`;
        return { text: times(Math.min(size, 100), (i) => `host all @u${i}.txt 0.0.0.0/0 trust`), files };
      },
    },
  },
  'postgresql-conf': {
    path: '/etc/postgresql/16/main/postgresql.conf',
    grow: (n) => `listen_addresses = '*'\n${unitLines(n, 2, (i) => `custom.opt_${i} = '${ip(i)}'\nport = ${5432 + (i % 100)}`)}`,
    longLine: (n) => `listen_addresses = '${times(n, (i) => ip(i), ',')}'`,
    patho: {
      includeCycle: () => ({
        text: "include 'postgresql.conf'\ninclude_dir 'conf.d'\nlisten_addresses = '*'",
        files: { '/etc/postgresql/16/main/conf.d/a.conf': "include '/etc/postgresql/16/main/postgresql.conf'\ninclude_if_exists 'a.conf'" },
      }),
      includeFan: (size) => ({
        text: "include_dir '/etc/postgresql/fan/l1'",
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/postgresql/fan',
          '.conf',
          (p) => `include_dir '${p.replace(/\/\*\.conf$/, '')}'`,
          () => "listen_addresses = '*'",
        ),
      }),
      quotes: (size) => ({ text: `listen_addresses = '${"''".repeat(size)}\nx = '${'\\'.repeat(size)}` }),
    },
  },
  'mongod-conf': {
    path: '/etc/mongod.conf',
    grow: (n) => `net:\n  port: 27017\n  bindIp: 0.0.0.0\nsetParameter:\n${unitLines(n - 4, 1, (i) => `  param${i}: "${ip(i)}"`)}`,
    longLine: (n) => `net:\n  bindIp: ${times(n, (i) => ip(i), ',')}`,
    nest: yamlDeep,
    patho: {
      aliasBomb: (size) => ({ text: `${yamlAliasBomb(Math.min(size, 12))}\nnet:\n  bindIp: 0.0.0.0` }),
      mergeBomb: (size) => ({ text: `${yamlMergeBomb(Math.min(size, 40))}\nnet:\n  <<: *m${Math.min(size, 40)}\n  bindIp: 0.0.0.0` }),
      flowDeep: (size) => ({ text: yamlFlowDeep(size) }),
      legacy: (size) => ({ text: `bind_ip = ${times(size, (i) => ip(i), ',')}\nauth = false\n${'k'.repeat(size)}=${' '.repeat(size)}v${' '.repeat(size)}` }),
    },
  },
  'elasticsearch-yml': {
    path: '/etc/elasticsearch/elasticsearch.yml',
    grow: (n) => `network.host: 0.0.0.0\n${unitLines(n - 1, 1, (i) => `custom.setting_${i}: ${ip(i)}`)}`,
    longLine: (n) => `network.host: [${times(n, (i) => ip(i), ', ')}]\nxpack.security.enabled: false`,
    nest: yamlDeep,
    patho: {
      aliasBomb: (size) => ({ text: `${yamlAliasBomb(Math.min(size, 12))}\nnetwork.host: *a${Math.min(size, 12)}` }),
      mergeBomb: (size) => ({ text: `${yamlMergeBomb(Math.min(size, 40))}\nxpack:\n  <<: *m${Math.min(size, 40)}\n  security.enabled: false` }),
      flowDeep: (size) => ({ text: yamlFlowDeep(size) }),
    },
  },
  'docker-compose': {
    path: '/srv/app/compose.yaml',
    grow: (n) =>
      `x-common: &common\n  restart: always\n  environment:\n    MYSQL_ROOT_PASSWORD: root\nservices:\n${unitLines(n - 5, 6, (i) => `  s${i}:\n    <<: *common\n    image: redis:7\n    ports:\n      - "${i % 65536}:6379"\n      - "${ip(i)}:${i % 65536}:80"`)}`,
    longLine: (n) => `services:\n  web:\n    image: nginx\n    ports: [${times(n, (i) => `"${i % 65536}:${i % 65536}"`, ', ')}]`,
    nest: yamlDeep,
    patho: {
      aliasBomb: (size) => ({
        text: `${yamlAliasBomb(Math.min(size, 12), 'x-')}\nservices:\n  web:\n    image: redis\n    command: *a${Math.min(size, 12)}\n    ports: ["6379:6379"]`,
      }),
      mergeBomb: (size) => ({
        text: `${yamlMergeBomb(Math.min(size, 40), 'x-')}\nservices:\n  web:\n    <<: *m${Math.min(size, 40)}\n    image: mysql\n    ports: ["3306:3306"]`,
      }),
      sharedCommon: (size) => ({
        text: `x-common: &common\n  environment:\n${times(50, (i) => `    V${i}: "${i}"`)}\n  ports: ["6379:6379"]\nservices:\n${times(size, (i) => `  s${i}:\n    <<: *common\n    image: redis`)}`,
      }),
      portRange: (size) => ({
        text: `services:\n  web:\n    image: nginx\n    ports:\n${times(size, (i) => `      - "${i}-${i + 60000}:${i}-${i + 60000}"`)}`,
      }),
      envFiles: (size) => {
        const files: Files = {};
        for (let i = 0; i < Math.min(size, 300); i++)
          files[`/srv/app/e${i}.env`] = `${times(50, (j) => `${' '.repeat(j)}export  V${j}${' '.repeat(j)}=${' '.repeat(j)}x # c`)}\nMYSQL_PASSWORD=`;
        return {
          text: `services:\n  db:\n    image: mysql\n    ports: ["3306:3306"]\n    env_file:\n${times(Math.min(size, 300), (i) => `      - e${i}.env`)}`,
          files,
        };
      },
      interpolation: (size) => ({
        text: `services:\n  web:\n    image: \${A:-\${B:-\${C:-${'${D:-'.repeat(size % 3000)}x${'}'.repeat(size % 3000)}}}}\n    ports: ["\${P:-80}:80"]`,
      }),
      flowDeep: (size) => ({ text: yamlFlowDeep(size) }),
    },
  },
  'kubernetes-manifest': {
    path: '/srv/k8s/app.yaml',
    grow: (n) =>
      unitLines(
        n,
        12,
        (i) =>
          `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  type: LoadBalancer\n  ports:\n    - port: ${i % 65536}\n      targetPort: 6379\n  selector:\n    app: a${i}`,
      ),
    longLine: (n) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: big\nspec:\n  type: NodePort\n  loadBalancerSourceRanges: [${times(n, (i) => `"${ip(i)}/32"`, ', ')}]`,
    nest: (d) => `apiVersion: v1\nkind: ConfigMap\n${yamlDeep(d)}`,
    patho: {
      aliasBomb: (size) => ({
        text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n${yamlAliasBomb(Math.min(size, 12))}\ndata: *a${Math.min(size, 12)}`,
      }),
      mergeBomb: (size) => ({
        text: `apiVersion: v1\nkind: Service\n${yamlMergeBomb(Math.min(size, 40))}\nspec:\n  <<: *m${Math.min(size, 40)}\n  type: LoadBalancer`,
      }),
      manyDocs: (size) => ({
        text: times(size, (i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {hostNetwork: true, containers: [{name: c, image: redis}]}`),
      }),
    },
  },
  haproxy: {
    path: '/etc/haproxy/haproxy.cfg',
    grow: (n) =>
      `global\n  stats socket ipv4@0.0.0.0:9999 level admin\n${unitLines(n, 6, (i) => `frontend f${i}\n  bind ${ip(i)}:${i % 65536}\n  acl a${i} src ${pub(i)}/24\n  use_backend b${i} if a${i}\nbackend b${i}\n  server s${i} ${ip(i)}:80`)}`,
    longLine: (n) => `frontend big\n  bind ${times(n, (i) => `${ip(i)}:80`, ',')}\n  acl a src ${times(n, (i) => ip(i), ' ')}`,
    patho: {
      conditions: (size) => ({
        text: `frontend f\n  bind :80\n  http-request deny if ${times(size, (i) => `!a${i} || { src ${ip(i)} }`, ' ')}\n  stats enable\n  stats uri /${'a'.repeat(size)}`,
      }),
    },
  },
  'ufw-rules': {
    path: '/etc/ufw/user.rules',
    grow: (n) =>
      `*filter\n:ufw-user-input - [0:0]\n${unitLines(n - 3, 2, (i) => `### tuple ### allow tcp ${i % 65536} 0.0.0.0/0 any ${pub(i)} in\n-A ufw-user-input -p tcp --dport ${i % 65536} -s ${pub(i)} -j ACCEPT`)}\nCOMMIT`,
    longLine: (n) => `*filter\n-A ufw-user-input -p tcp -m multiport --dports ${times(n, (i) => `${i % 65536}`, ',')} -j ACCEPT\nCOMMIT`,
  },
  'ufw-default': {
    path: '/etc/default/ufw',
    grow: (n) => `IPV6=yes\nDEFAULT_INPUT_POLICY="ACCEPT"\n${unitLines(n, 1, (i) => `OPT_${i}="${ip(i)}"`)}`,
    longLine: (n) => `IPT_MODULES="${times(n, (i) => `m${i}`, ' ')}"`,
  },
  'iptables-save': {
    path: '/etc/iptables/rules.v4',
    grow: (n) =>
      `*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n${unitLines(n - 4, 2, (i) => `-A INPUT -s ${pub(i)}/24 -p tcp --dport ${i % 65536} -j ACCEPT\n-A INPUT -s ${ip(i)} -j ACCEPT`)}\nCOMMIT`,
    longLine: (n) => `*filter\n:INPUT DROP [0:0]\n-A INPUT -s ${times(n, (i) => `${ip(i)}/32`, ',')} -j ACCEPT\nCOMMIT`,
    patho: {
      jumpCycle: (size) => ({
        text: `*filter\n:INPUT DROP [0:0]\n${times(size, (i) => `:C${i} - [0:0]`)}\n-A INPUT -j C0\n${times(size, (i) => `-A C${i} -j C${(i + 1) % size}\n-A C${i} -j C${(i * 7 + 3) % size}`)}\n-A C0 -p tcp --dport 22 -j ACCEPT\nCOMMIT`,
      }),
      jumpFan: (size) => ({
        text: `*filter\n:INPUT DROP [0:0]\n${times(size, (i) => `:C${i} - [0:0]`)}\n-A INPUT -j C0\n${times(size, (i) => `-A C${i} -j C${i + 1}\n-A C${i} -j C${i + 1}\n-A C${i} -j RETURN`)}\n-A C${size} -j ACCEPT\nCOMMIT`,
      }),
    },
  },
  nftables: {
    path: '/etc/nftables.conf',
    grow: (n) =>
      `#!/usr/sbin/nft -f\nflush ruleset\ntable inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n${unitLines(n - 7, 1, (i) => `    ip saddr ${pub(i)}/24 tcp dport ${i % 65536} accept`)}\n  }\n}`,
    longLine: (n) =>
      `table inet filter {\n  set allow { type ipv4_addr; flags interval; elements = { ${times(n, (i) => `${ip(i)}/32`, ', ')} } }\n  chain input { type filter hook input priority 0; policy drop; ip saddr @allow accept; }\n}`,
    nest: (d) => `table inet filter {\n${'chain c { '.repeat(d)}\n${'}'.repeat(d)}\n}\ndefine x = ${'{ '.repeat(d)}1${' }'.repeat(d)}`,
    patho: {
      defineChain: (size) => ({
        text: `define a0 = { 10.0.0.1 }\n${times(Math.min(size, 60), (i) => `define a${i + 1} = { $a${i}, $a${i} }`)}\ntable inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    ip saddr $a${Math.min(size, 60)} tcp dport 22 accept\n  }\n}`,
      }),
      defineCycle: () => ({
        text: 'define a = $b\ndefine b = $a\ndefine c = $c\ntable inet filter {\n chain input {\n  type filter hook input priority 0;\n  ip saddr $a accept\n  ip saddr $c accept\n }\n}',
      }),
      includeCycle: () => ({
        text: 'include "/etc/nftables.conf"\ninclude "/etc/nft/*.nft"\ntable inet t { chain c { type filter hook input priority 0; } }',
        files: { '/etc/nft/a.nft': 'include "/etc/nftables.conf"\ninclude "/etc/nft/a.nft"' },
      }),
      includeFan: (size) => ({
        text: 'include "/etc/nft/fan/l1/*.nft"',
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/nft/fan',
          '.nft',
          (p) => `include "${p}"`,
          (n) => `table inet t${n.replace('-', '_')} { chain c { type filter hook input priority 0; policy accept; } }`,
        ),
      }),
      jumpCycle: (size) => ({
        text: `table inet filter {\n${times(size, (i) => `  chain c${i} {\n    jump c${(i + 1) % size}\n    goto c${(i * 7 + 3) % size}\n  }`)}\n  chain input {\n    type filter hook input priority 0; policy accept;\n    jump c0\n  }\n}`,
      }),
    },
  },
  'firewalld-zone': {
    path: '/etc/firewalld/zones/public.xml',
    grow: (n) =>
      `<?xml version="1.0" encoding="utf-8"?>\n<zone target="ACCEPT">\n  <short>Public</short>\n${unitLines(n - 4, 1, (i) => `  <rule family="ipv4"><source address="${pub(i)}/24"/><port protocol="tcp" port="${i % 65536}"/><accept/></rule>`)}\n</zone>`,
    longLine: (n) => `<zone>${times(n, (i) => `<source address="${ip(i)}/32"/>`, '')}<service name="ssh"/></zone>`,
    nest: (d) => `<zone>${'<rule>'.repeat(d)}${'</rule>'.repeat(d)}</zone>`,
    patho: {
      entityBomb: (size) => ({
        text: `<?xml version="1.0"?>\n<!DOCTYPE zone [\n<!ENTITY a0 "lol">\n${times(Math.min(size, 12), (i) => `<!ENTITY a${i + 1} "${times(10, () => `&a${i};`, '')}">`)}\n]>\n<zone><short>&a${Math.min(size, 12)};</short><source address="&a${Math.min(size, 12)};"/></zone>`,
      }),
      unclosed: (size) => ({
        text: `<zone>${times(size, (i) => `<rule family="ipv${i % 7}"><source address="${ip(i)}`, '')}<!--${'<![CDATA['.repeat(size % 50)}`,
      }),
      attributes: (size) => ({ text: `<zone ${times(size, (i) => `a${i}="${'&amp;'.repeat(i % 5)}"`, ' ')}><service name="${'x'.repeat(size)}"/></zone>` }),
    },
  },
  'firewalld-conf': {
    path: '/etc/firewalld/firewalld.conf',
    grow: (n) => `DefaultZone=public\n${unitLines(n, 1, (i) => `Opt${i}=${ip(i)}`)}`,
    longLine: (n) => `DefaultZone=${'x'.repeat(n)}\nLogDenied=${times(n, (i) => `${i}`, ',')}`,
  },
  'firewalld-service': {
    path: '/etc/firewalld/services/app.xml',
    grow: (n) =>
      `<?xml version="1.0" encoding="utf-8"?>\n<service>\n  <short>App</short>\n${unitLines(n - 4, 1, (i) => `  <port protocol="${i % 2 ? 'tcp' : 'udp'}" port="${i % 65536}"/>`)}\n</service>`,
    longLine: (n) => `<service>${times(n, (i) => `<port protocol="tcp" port="${i % 65536}"/>`, '')}</service>`,
    nest: (d) => `<service>${'<port>'.repeat(d)}${'</port>'.repeat(d)}</service>`,
  },
  nginx: {
    path: '/etc/nginx/nginx.conf',
    grow: (n) =>
      `events {}\nhttp {\n  server {\n    listen 80;\n${unitLines(n - 6, 3, (i) => `    location /p${i} {\n      allow ${pub(i)}/24; deny all;\n    }`)}\n  }\n}`,
    longLine: (n) => `http { server { listen 80; location /admin { ${times(n, (i) => `allow ${ip(i)};`, ' ')} deny all; } } }`,
    nest: (d) => `http {\n server {\n${'location /a {\n'.repeat(d)}allow all;\n${'}\n'.repeat(d)} }\n}`,
    patho: {
      includeCycle: () => ({
        text: 'include /etc/nginx/nginx.conf;\nhttp { include /etc/nginx/conf.d/*.conf; }',
        files: { '/etc/nginx/conf.d/a.conf': 'include /etc/nginx/conf.d/*.conf;\nserver { include /etc/nginx/nginx.conf; }' },
      }),
      includeFan: (size) => ({
        text: 'http {\n include /etc/nginx/fan/l1/*.conf;\n}',
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/nginx/fan',
          '.conf',
          (p) => `include ${p};`,
          (n) => `server { listen 80; location /admin${n} { allow all; } }`,
        ),
      }),
      userRegex: (size) => ({
        text: `http { server { listen 80;\n location ~ ^/(a+)+$ { allow all; }\n location ~* (.*a){${size % 30}} { allow all; }\n location /${'a'.repeat(size)} { deny all; }\n location /admin { allow 10.0.0.0/8; deny all; }\n location ~ ${'('.repeat(size % 200)} { }\n}}`,
      }),
      manyAllows: (size) => ({ text: `http { server { listen 80; location /admin {\n${times(size, (i) => `  allow ${pub(i)};`)}\n  deny all;\n} } }` }),
      unicodeSpace: () => ({
        text: 'http {\n server {\n  server_name\u00a0example.com;\n  listen\u000c80;\n  root\u000b/var/www;\n  location\u2028/a\u3000{ allow\u00a0all; }\n }\n}',
      }),
    },
  },
  apache: {
    path: '/etc/apache2/apache2.conf',
    grow: (n) =>
      `Listen 80\n${unitLines(n - 1, 7, (i) => `<VirtualHost *:80>\n  ServerName h${i}.example.com\n  DocumentRoot /var/www/h${i}\n  <Directory /var/www/h${i}>\n    Require ip ${pub(i)}/24\n  </Directory>\n</VirtualHost>`)}`,
    longLine: (n) => `<Location /server-status>\n  Require ip ${times(n, (i) => ip(i), ' ')}\n</Location>`,
    nest: (d) => `${'<IfModule mod_x.c>\n'.repeat(d)}Require all granted\n${'</IfModule>\n'.repeat(d)}`,
    patho: {
      includeCycle: () => ({
        text: 'Include /etc/apache2/apache2.conf\nIncludeOptional /etc/apache2/conf.d/*.conf',
        files: { '/etc/apache2/conf.d/a.conf': 'Include /etc/apache2/conf.d/*.conf\nInclude /etc/apache2/apache2.conf' },
      }),
      includeFan: (size) => ({
        text: 'IncludeOptional /etc/apache2/fan/l1/*.conf',
        files: fanOut(
          Math.min(8, 2 + (size % 7)),
          2 + (size % 9),
          '/etc/apache2/fan',
          '.conf',
          (p) => `IncludeOptional ${p}`,
          (n) => `<Location /admin${n}>\n Require all granted\n</Location>`,
        ),
      }),
      oddSections: (size) => ({
        text: `<>\n</>\n<Directory /var/www[>\nRequire all granted\n</Directory>\n<DirectoryMatch "^/var/(a+)+$">\n</DirectoryMatch>\n<Directory ${'/'.repeat(size)}x${'/'.repeat(size)}>\n</Directory${' '.repeat(size)}>\nAlias ${'/'.repeat(size)} /x\n<Location /${'a'.repeat(size)}>\nRequire all denied\n</Location>`,
      }),
      unicodeSpace: () => ({
        text: 'ServerName\u00a0example.com\nListen\u000c80\n<Directory\u3000/var/www>\nRequire\u2028all granted\n</Directory>\nAllowOverride\u000bAll',
      }),
      unclosed: (size) => ({ text: `${times(size, (i) => `<Directory /d${i}>`)}\nRequire all granted\n${times(size, () => '</Location>')}` }),
    },
  },
};

/** Like fanOut, but each file includes the next level's files by name (formats without wildcards). */
function fanOutExplicit(depth: number, fan: number, dir: string, ext: string, includeLine: (path: string) => string, body: (n: string) => string): Files {
  const files: Files = {};
  for (let level = 1; level <= depth; level++)
    for (let i = 0; i < fan; i++) {
      const next = level < depth ? times(fan, (j) => includeLine(`${dir}/l${level + 1}/f${j}${ext}`)) : '';
      files[`${dir}/l${level}/f${i}${ext}`] = `${body(`${level}-${i}`)}\n${next}\n`;
    }
  return files;
}

/** Generic pathological inputs every format gets. */
export const GENERIC: Record<string, (spec: FormatSpec, size: number, r: Random) => string> = {
  growth: (spec, size) => spec.grow(size),
  longLine: (spec, size) => spec.longLine(size),
  nesting: (spec, size) => (spec.nest ? spec.nest(size) : '{'.repeat(size) + '\n' + '}'.repeat(size)),
  brackets: (_spec, size, r) => r.pick(['{', '[', '(', '<', '"', "'", '${', '<<', '- ', '{{', '\\']).repeat(size),
  whitespace: (_spec, size, r) => r.pick([' ', '\t', '\u00a0', '\f', '\v', '\u2028', '\u3000', '\r', '\r\n', '\n', '\u0000']).repeat(size),
  tokenRun: (spec, size, r) => {
    const sample = spec.grow(4).split('\n');
    const line = r.pick(sample);
    return `${line}${r.pick([' ', '\t', '/', ',', ':', '=', '\u00a0'])}`.repeat(Math.max(1, Math.floor(size / Math.max(1, line.length))));
  },
};

/** The size bound a generator may use for a given scale (0 = small, 1 = medium, 2 = big). */
export function scaledSize(r: Random, big: boolean): number {
  return big ? r.size(1000, 100_000) : r.size(1, 3000);
}
