// One iptables command line (`-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT`) read into a command and,
// for rule commands, the shared packet-path model's match and action. Matches the model cannot decide for
// a new inbound connection become conditions answering 'unknown'; what iptables-restore refuses is a problem.
import { type TextRef, text } from '../../core/check';
import type { ParseProblem } from '../../core/format';
import type { Span } from '../../core/types';
import { AddressSet, parseRange } from '../../net';
import {
  type Action,
  type Condition,
  type FirewallRule,
  type IpFamily,
  type Packet,
  type RuleMatch,
  type Tri,
  PortSet,
  memoValue,
  normaliseProtocol,
  universe,
  valueMemo,
} from '../shared/firewall';
import type { CommandLine, Token } from './syntax';

export const BUILTIN_CHAINS: Record<string, readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The key of a chain in the shared model: table and name (names repeat across tables). */
export function chainKey(table: string, name: string): string {
  return `${table} ${name}`;
}

export interface SourceEntry {
  text: string;
  span: Span;
  /** undefined for a host name (resolved when the rules are loaded). */
  set?: AddressSet;
}

/** A rule as written, with the shared model's reading of it. */
export interface IptRule extends FirewallRule {
  table: string;
  chain: string;
  line: CommandLine;
  /** `-s` entries (comma-separated in one argument); `sourceNegated` for `! -s`. */
  sourceEntries: SourceEntry[];
  sourceNegated: boolean;
  /** The `-j`/`-g` target as written. */
  target?: Token;
  /** The `-p` argument as written. */
  protocol?: Token;
  /** Where the destination ports are written (`--dport`, `--dports`). */
  portSpan?: Span;
  /** `-m comment --comment` text. */
  comment?: string;
}

export type CommandKind = 'append' | 'insert' | 'delete' | 'replace' | 'new-chain' | 'delete-chain' | 'flush' | 'policy' | 'zero' | 'rename';

export interface IptCommand {
  kind: CommandKind;
  line: CommandLine;
  /** The chain argument (absent for a table-wide -F/-X/-Z). */
  chain?: Token;
  /** -I/-D/-R rule number (1-based). */
  position?: number;
  rule?: IptRule;
  /** -P policy or -E new name. */
  argument?: Token;
}

const COMMANDS: Record<string, CommandKind> = {
  '-A': 'append',
  '--append': 'append',
  '-I': 'insert',
  '--insert': 'insert',
  '-D': 'delete',
  '--delete': 'delete',
  '-R': 'replace',
  '--replace': 'replace',
  '-N': 'new-chain',
  '--new-chain': 'new-chain',
  '-X': 'delete-chain',
  '--delete-chain': 'delete-chain',
  '-F': 'flush',
  '--flush': 'flush',
  '-P': 'policy',
  '--policy': 'policy',
  '-Z': 'zero',
  '--zero': 'zero',
  '-E': 'rename',
  '--rename-chain': 'rename',
};

/** Targets that let the next rule run (they log, mark or count). */
const CONTINUING_TARGETS = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'MARK',
  'CONNMARK',
  'CT',
  'NOTRACK',
  'TRACE',
  'SET',
  'TCPMSS',
  'TOS',
  'DSCP',
  'TTL',
  'HL',
  'CLASSIFY',
  'CHECKSUM',
  'AUDIT',
  'SECMARK',
  'CONNSECMARK',
  'IDLETIMER',
  'LED',
  'TEE',
  'RATEEST',
  'NFCT',
  'TCPOPTSTRIP',
  'ECN',
  'CLUSTERIP',
  'HMARK',
]);
/** Targets whose effect on an inbound connection the model does not follow. */
const UNFOLLOWED_TARGETS = new Set([
  'QUEUE',
  'NFQUEUE',
  'DNAT',
  'REDIRECT',
  'SNAT',
  'MASQUERADE',
  'NETMAP',
  'SYNPROXY',
  'TPROXY',
  'TARPIT',
  'DELUDE',
  'CHAOS',
  'MIRROR',
]);

/** Options of targets (they never change what a rule matches). */
const TARGET_OPTIONS = new Set([
  '--log-prefix',
  '--log-level',
  '--log-tcp-sequence',
  '--log-tcp-options',
  '--log-ip-options',
  '--log-uid',
  '--log-macdecode',
  '--reject-with',
  '--to-destination',
  '--to-source',
  '--to-ports',
  '--to',
  '--random',
  '--random-fully',
  '--persistent',
  '--set-mark',
  '--set-xmark',
  '--and-mark',
  '--or-mark',
  '--xor-mark',
  '--save-mark',
  '--restore-mark',
  '--nfmask',
  '--ctmask',
  '--nflog-group',
  '--nflog-prefix',
  '--nflog-range',
  '--nflog-size',
  '--nflog-threshold',
  '--queue-num',
  '--queue-balance',
  '--queue-bypass',
  '--queue-cpu-fanout',
  '--set-mss',
  '--clamp-mss-to-pmtu',
  '--notrack',
  '--helper',
  '--ctevents',
  '--expevents',
  '--zone',
  '--zone-orig',
  '--zone-reply',
  '--timeout',
  '--add-set',
  '--del-set',
  '--map-set',
  '--exist',
  '--set-dscp',
  '--set-dscp-class',
  '--set-tos',
  '--and-tos',
  '--or-tos',
  '--xor-tos',
  '--ttl-set',
  '--ttl-dec',
  '--ttl-inc',
  '--hl-set',
  '--hl-dec',
  '--hl-inc',
  '--set-class',
  '--checksum-fill',
  '--type',
  '--selctx',
  '--gateway',
  '--ulog-nlgroup',
  '--ulog-prefix',
  '--ulog-cprange',
  '--ulog-qthreshold',
  '--on-port',
  '--on-ip',
  '--tproxy-mark',
  '--wscale',
  '--mss',
  '--sack-perm',
  '--timestamp',
  '--ecn-tcp-remove',
  '--strip-options',
]);

/** Well-known service names iptables resolves through /etc/services (Debian's netbase). */
const SERVICE_NAMES: Record<string, number> = {
  ftp: 21,
  'ftp-data': 20,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  bootps: 67,
  bootpc: 68,
  tftp: 69,
  http: 80,
  www: 80,
  kerberos: 88,
  pop3: 110,
  sunrpc: 111,
  auth: 113,
  ntp: 123,
  'netbios-ns': 137,
  'netbios-dgm': 138,
  'netbios-ssn': 139,
  imap2: 143,
  imap: 143,
  snmp: 161,
  ldap: 389,
  https: 443,
  'microsoft-ds': 445,
  submissions: 465,
  syslog: 514,
  submission: 587,
  ldaps: 636,
  rsync: 873,
  imaps: 993,
  pop3s: 995,
  openvpn: 1194,
  'ms-sql-s': 1433,
  mysql: 3306,
  'ms-wbt-server': 3389,
  sip: 5060,
  postgresql: 5432,
  x11: 6000,
  'http-alt': 8080,
};

const PROTOCOLS_WITH_PORTS = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite']);

export interface RuleContext {
  family: IpFamily;
  table: string;
  /** Where problems go. */
  problems: ParseProblem[];
}

/** Reads one command line. Returns undefined for a line iptables-restore would refuse (a problem says why) or skip. */
export function readCommand(line: CommandLine, context: RuleContext): IptCommand | undefined {
  const tokens = line.tokens;
  const problem = (span: Span, message: TextRef) => {
    context.problems.push({ span, message });
    return undefined;
  };
  const first = tokens[0];
  if (!first) return undefined;
  const kind = COMMANDS[first.text];
  if (!kind) return problem(first.span, text('iptables.unknown-command', { command: first.text }));
  const chain = tokens[1] && !tokens[1].text.startsWith('-') ? tokens[1] : undefined;
  let index = chain ? 2 : 1;
  const command: IptCommand = { kind, line, ...(chain ? { chain } : {}) };
  if (
    (kind === 'append' || kind === 'insert' || kind === 'delete' || kind === 'replace' || kind === 'policy' || kind === 'new-chain' || kind === 'rename') &&
    !chain
  )
    return problem(first.span, text('iptables.missing-chain', { command: first.text }));
  if (kind === 'policy' || kind === 'rename') {
    const argument = tokens[index];
    if (!argument) return problem(first.span, text('iptables.missing-argument', { option: first.text }));
    return { ...command, argument };
  }
  if (kind === 'new-chain' || kind === 'delete-chain' || kind === 'flush' || kind === 'zero') return command;
  if ((kind === 'insert' || kind === 'delete' || kind === 'replace') && tokens[index] && /^\d+$/.test(tokens[index]!.text)) {
    command.position = Number(tokens[index]!.text);
    index++;
    if (kind === 'delete') return command;
  }
  if (kind === 'replace' && command.position === undefined) return problem(first.span, text('iptables.missing-argument', { option: first.text }));
  const rule = readRule(line, tokens.slice(index), chain!, context);
  if (rule === 'skip') return undefined;
  if (!rule) return undefined;
  command.rule = rule;
  return command;
}

interface Option {
  name: Token;
  negated: boolean;
  args: Token[];
}

/** Splits arguments into options: `[!] --name arg...`, arguments running until the next option or `!`. */
function options(tokens: Token[]): Option[] {
  const out: Option[] = [];
  let negated = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.text === '!' && !token.quoted) {
      negated = true;
      continue;
    }
    if (!token.quoted && isOptionName(token.text)) {
      out.push({ name: token, negated, args: [] });
      negated = false;
      continue;
    }
    const last = out[out.length - 1];
    if (last) {
      // Old "intrapositioned" negation (`--dport ! 22`) is refused by current iptables; keep the token as written.
      last.args.push(token);
    } else out.push({ name: token, negated, args: [] });
    negated = false;
  }
  return out;
}

/** `-x` or `--name`, not `-` alone nor a negative number (what `/^-/` and not `/^-\d/` said). */
function isOptionName(value: string): boolean {
  if (value.length < 2 || value.charCodeAt(0) !== 45) return false;
  const second = value.charCodeAt(1);
  return second < 48 || second > 57;
}

const ALIASES: Record<string, string> = {
  '--protocol': '-p',
  '--source': '-s',
  '--src': '-s',
  '--destination': '-d',
  '--dst': '-d',
  '--in-interface': '-i',
  '--out-interface': '-o',
  '--jump': '-j',
  '--goto': '-g',
  '--match': '-m',
  '--fragment': '-f',
  '--ipv4': '-4',
  '--ipv6': '-6',
  '--set-counters': '-c',
  '--destination-port': '--dport',
  '--source-port': '--sport',
  '--destination-ports': '--dports',
  '--source-ports': '--sports',
};

function readRule(line: CommandLine, tokens: Token[], chainToken: Token, context: RuleContext): IptRule | 'skip' | undefined {
  const { family, table } = context;
  const problems = context.problems;
  let failed = false;
  const problem = (span: Span, message: TextRef) => {
    problems.push({ span, message });
    failed = true;
  };
  const conditions: Condition[] = [];
  const unknown = (span: Span, reason: TextRef) => conditions.push({ span, reason, decide: () => 'unknown' });
  const fixed = (span: Span, decide: (packet: Packet) => Tri, reason?: TextRef) => conditions.push({ span, decide, ...(reason ? { reason } : {}) });
  const match: RuleMatch & { conditions: Condition[] } = { conditions };
  const rule: IptRule = {
    span: line.span,
    match,
    action: { kind: 'continue' },
    table,
    chain: chainToken.text,
    line,
    sourceEntries: [],
    sourceNegated: false,
  };
  const modules = new Set<string>();
  let protocolName: string | undefined;
  let sawSource = false;
  let sawDestination = false;
  for (const option of options(tokens)) {
    const name = ALIASES[option.name.text] ?? option.name.text;
    const arg = option.args[0];
    const span: Span = {
      file: option.name.span.file,
      start: option.name.span.start,
      end: option.args[option.args.length - 1]?.span.end ?? option.name.span.end,
    };
    const needArg = () => {
      if (!arg) problem(option.name.span, text('iptables.missing-argument', { option: option.name.text }));
      return arg;
    };
    switch (name) {
      case '-4':
        if (family === 6) return 'skip';
        break;
      case '-6':
        if (family === 4) return 'skip';
        break;
      case '-c':
        break;
      case '-p': {
        const value = needArg();
        if (!value) break;
        protocolName = normaliseProtocol(value.text);
        rule.protocol = value;
        match.protocols = protocolMatch(protocolName, option.negated);
        if (!option.negated && PROTOCOLS_WITH_PORTS.has(protocolName)) modules.add(protocolName);
        if (!option.negated && (protocolName === 'icmp' || protocolName === 'ipv6-icmp')) modules.add(protocolName);
        break;
      }
      case '-s':
      case '-d': {
        const value = needArg();
        if (!value) break;
        if ((name === '-s' && sawSource) || (name === '-d' && sawDestination)) {
          problem(option.name.span, text('iptables.repeated-option', { option: option.name.text }));
          break;
        }
        if (name === '-s') sawSource = true;
        else sawDestination = true;
        const entries = addressEntries(value, family);
        for (const entry of entries)
          if (entry.set === undefined && !isHostName(entry.text)) problem(entry.span, text('iptables.bad-address', { address: entry.text }));
        if (entries.some((entry) => entry.set === undefined)) {
          unknown(value.span, text('iptables.host-name', { name: value.text }));
          if (name === '-s') {
            rule.sourceEntries = entries;
            rule.sourceNegated = option.negated;
          }
          break;
        }
        const written = AddressSet.unionAll(entries.map((entry) => entry.set!));
        const set = option.negated ? universe(family).subtract(written) : written;
        if (name === '-s') {
          match.source = match.source ? match.source.intersect(set) : set;
          rule.sourceEntries = entries;
          rule.sourceNegated = option.negated;
          rule.sourceSpans = entries.map((entry) => entry.span);
        } else {
          match.destination = match.destination ? match.destination.intersect(set) : set;
          match.destinationSpan = value.span;
        }
        break;
      }
      case '-i':
      case '-o': {
        const value = needArg();
        if (!value) break;
        if (name === '-i' && (chainToken.text === 'OUTPUT' || chainToken.text === 'POSTROUTING')) {
          problem(option.name.span, text('iptables.interface-not-allowed', { option: '-i', chain: chainToken.text }));
          break;
        }
        if (name === '-o' && (chainToken.text === 'INPUT' || chainToken.text === 'PREROUTING')) {
          problem(option.name.span, text('iptables.interface-not-allowed', { option: '-o', chain: chainToken.text }));
          break;
        }
        if (name === '-i') match.inInterface = { names: [value.text], negated: option.negated, span };
        else {
          // A packet to this host has no output interface; a forwarded one leaves on an interface the files do not name.
          const negated = option.negated;
          const plus = value.text === '+';
          fixed(
            span,
            (packet) => (packet.hook === 'forward' ? 'unknown' : plus !== negated ? 'yes' : 'no'),
            text('iptables.output-interface', { name: value.text }),
          );
        }
        break;
      }
      case '-f': {
        const negated = option.negated;
        fixed(span, () => (negated ? 'yes' : 'no'));
        break;
      }
      case '-m': {
        const value = needArg();
        if (value) modules.add(value.text.toLowerCase());
        break;
      }
      case '-j':
      case '-g': {
        const value = needArg();
        if (!value) break;
        rule.target = value;
        rule.action = targetAction(value, name === '-g', table);
        if (name === '-g' && rule.action.kind !== 'goto') problem(value.span, text('iptables.goto-needs-chain', { target: value.text }));
        break;
      }
      case '--dport':
      case '--sport': {
        const owner = portModule(modules, protocolName);
        if (!owner) {
          problem(option.name.span, text('iptables.option-needs-protocol', { option: option.name.text }));
          break;
        }
        const value = needArg();
        if (!value) break;
        const ports = parsePorts(value.text, false);
        if (!ports) {
          problem(value.span, text('iptables.bad-port', { port: value.text }));
          break;
        }
        const set = option.negated ? ports.complement() : ports;
        if (name === '--dport') {
          match.dports = match.dports ? match.dports.intersect(set) : set;
          rule.portSpan = span;
        } else {
          match.sports = match.sports ? match.sports.intersect(set) : set;
          match.sportsSpan = span;
        }
        break;
      }
      case '--dports':
      case '--sports':
      case '--ports': {
        if (!modules.has('multiport')) {
          problem(option.name.span, text('iptables.unknown-option', { option: option.name.text }));
          break;
        }
        if (!protocolName || !PROTOCOLS_WITH_PORTS.has(protocolName) || match.protocols?.negated) {
          problem(option.name.span, text('iptables.option-needs-protocol', { option: option.name.text }));
          break;
        }
        const value = needArg();
        if (!value) break;
        const ports = parsePorts(value.text, true);
        if (!ports) {
          problem(value.span, text('iptables.bad-port', { port: value.text }));
          break;
        }
        const set = option.negated ? ports.complement() : ports;
        if (name === '--dports') {
          match.dports = match.dports ? match.dports.intersect(set) : set;
          rule.portSpan = span;
        } else if (name === '--sports') {
          match.sports = match.sports ? match.sports.intersect(set) : set;
          match.sportsSpan = span;
        } else {
          // --ports: the source or the destination port is in the list; the source port is the client's choice.
          fixed(span, () => 'unknown', text('iptables.either-port'));
        }
        break;
      }
      case '--tcp-flags':
      case '--syn': {
        if (!modules.has('tcp')) {
          problem(option.name.span, text('iptables.option-needs-protocol', { option: option.name.text }));
          break;
        }
        const mask = name === '--syn' ? 'SYN,RST,ACK,FIN' : option.args[0]?.text;
        const comp = name === '--syn' ? 'SYN' : option.args[1]?.text;
        if (mask === undefined || comp === undefined) {
          problem(option.name.span, text('iptables.missing-argument', { option: option.name.text }));
          break;
        }
        const maskBits = tcpFlags(mask);
        const compBits = tcpFlags(comp);
        if (maskBits === undefined || compBits === undefined) {
          problem(span, text('iptables.bad-argument', { option: option.name.text, value: `${mask} ${comp}` }));
          break;
        }
        const holds = (maskBits & TCP_SYN) === compBits;
        const negated = option.negated;
        fixed(span, (packet) => (packet.protocol !== 'tcp' ? 'no' : holds !== negated ? 'yes' : 'no'));
        break;
      }
      case '--icmp-type':
      case '--icmpv6-type':
        // Only matches ICMP, which `-p icmp` already limits the rule to.
        break;
      case '--state':
      case '--ctstate': {
        if (!modules.has(name === '--state' ? 'state' : 'conntrack')) {
          problem(option.name.span, text('iptables.unknown-option', { option: option.name.text }));
          break;
        }
        const value = needArg();
        if (!value) break;
        const states = value.text.toUpperCase().split(',');
        const known = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED', 'SNAT', 'DNAT'];
        if (states.some((state) => !known.includes(state))) {
          problem(value.span, text('iptables.bad-argument', { option: option.name.text, value: value.text }));
          break;
        }
        const isNew = states.includes('NEW');
        const negated = option.negated;
        fixed(span, () => (isNew !== negated ? 'yes' : 'no'));
        break;
      }
      case '--ctproto': {
        const value = needArg();
        if (!value) break;
        const proto = normaliseProtocol(value.text);
        const negated = option.negated;
        fixed(span, (packet) => ((proto === packet.protocol || proto === 'all') !== negated ? 'yes' : 'no'));
        break;
      }
      case '--comment': {
        rule.comment = arg?.text ?? '';
        break;
      }
      case '--dst-type':
      case '--src-type': {
        if (!modules.has('addrtype')) {
          problem(option.name.span, text('iptables.unknown-option', { option: option.name.text }));
          break;
        }
        const value = needArg();
        if (!value) break;
        const types = value.text.toUpperCase().split(',');
        // To this host: the destination is LOCAL. From another host: the source is UNICAST.
        const expected = name === '--dst-type' ? 'LOCAL' : 'UNICAST';
        const holds = types.includes(expected);
        const negated = option.negated;
        fixed(span, (packet) => (packet.hook === 'forward' && name === '--dst-type' ? 'unknown' : holds !== negated ? 'yes' : 'no'));
        break;
      }
      case '--limit-iface-in':
      case '--limit-iface-out':
        unknown(span, text('iptables.unmodelled-option', { option: option.name.text }));
        break;
      case '--pkt-type': {
        const value = needArg();
        if (!value) break;
        const holds = value.text.toLowerCase() === 'unicast';
        const negated = option.negated;
        fixed(span, () => (holds !== negated ? 'yes' : 'no'));
        break;
      }
      case '--src-range':
      case '--dst-range': {
        const value = needArg();
        if (!value) break;
        const range = parseAddressRange(value.text, family);
        if (!range) {
          problem(value.span, text('iptables.bad-address', { address: value.text }));
          break;
        }
        const set = option.negated ? universe(family).subtract(range) : range;
        if (name === '--src-range') {
          match.source = match.source ? match.source.intersect(set) : set;
          rule.sourceSpans = [...(rule.sourceSpans ?? []), value.span];
        } else {
          match.destination = match.destination ? match.destination.intersect(set) : set;
          match.destinationSpan = value.span;
        }
        break;
      }
      case '--limit':
      case '--limit-burst':
        // Rate limits: the first packets of a connection pass, a flood does not; the model cannot say which.
        if (name === '--limit') unknown(span, text('iptables.rate-limit'));
        break;
      case '--set':
      case '--name':
      case '--rsource':
      case '--rdest':
      case '--mask':
      case '--seconds':
      case '--reap':
      case '--rttl':
      case '--hitcount':
        break;
      case '--rcheck':
      case '--update':
      case '--remove':
        break;
      case '--rt-type':
      case '--rt-segsleft':
      case '--rt-len':
      case '--rt-0-res':
      case '--rt-0-addrs':
      case '--rt-0-not-strict':
      case '--fragid':
      case '--fraglen':
      case '--fragres':
      case '--fragfirst':
      case '--fragmore':
      case '--fraglast':
        // -m rt / -m frag match only packets carrying an IPv6 routing or fragment header; a client's first
        // packet carries neither.
        fixed(span, () => 'no');
        break;
      case '--match-set':
        unknown(span, text('iptables.ipset', { set: arg?.text ?? '' }));
        break;
      default:
        if (TARGET_OPTIONS.has(name) || name.startsWith('--log-') || name.startsWith('--nflog-')) break;
        if (!name.startsWith('-')) {
          problem(option.name.span, text('iptables.bad-argument-token', { value: option.name.text }));
          break;
        }
        unknown(span, text('iptables.unmodelled-option', { option: option.name.text }));
    }
  }
  // `-m recent`: `--update`/`--rcheck` with `--hitcount N` (N > 1) does not match a client's first connection;
  // other recent checks depend on earlier packets (port knocking) and are unknown.
  if (modules.has('recent')) {
    const opts = options(tokens).map((option) => ALIASES[option.name.text] ?? option.name.text);
    const checking = opts.includes('--rcheck') || opts.includes('--update');
    const removing = opts.includes('--remove');
    const hitcount = Number(tokens[tokens.findIndex((token) => token.text === '--hitcount') + 1]?.text ?? NaN);
    const span = line.span;
    if (checking && hitcount > 1) fixed(span, () => 'no');
    else if (checking || removing) unknown(span, text('iptables.recent'));
  }
  for (const module of modules) {
    if (KNOWN_MODULES.has(module)) continue;
    unknown(line.span, text('iptables.unmodelled-module', { module }));
  }
  if (table === 'nat' && (rule.action.kind === 'drop' || rule.action.kind === 'reject'))
    problem(rule.target!.span, text('iptables.filtering-in-nat', { target: rule.target!.text }));
  if (rule.action.kind === 'reject' && table !== 'filter') problem(rule.target!.span, text('iptables.reject-outside-filter', { table }));
  return failed ? undefined : rule;
}

const KNOWN_MODULES = new Set([
  'tcp',
  'udp',
  'icmp',
  'icmp6',
  'ipv6-icmp',
  'icmpv6',
  'multiport',
  'conntrack',
  'state',
  'comment',
  'addrtype',
  'pkttype',
  'iprange',
  'limit',
  'recent',
  'set',
  'sctp',
  'dccp',
  'udplite',
  'rt',
  'frag',
]);

/**
 * One shared (frozen) protocol match per name and negation: rules are read again at every keystroke, and the
 * engine caches what it derives from a match by the match object.
 */
function protocolMatch(name: string, negated: boolean): NonNullable<RuleMatch['protocols']> {
  const key = `${negated ? '!' : ''}${name}`;
  let known = protocolMatches.get(key);
  if (!known) {
    if (protocolMatches.size >= 1_000) protocolMatches.clear();
    protocolMatches.set(key, (known = Object.freeze({ names: Object.freeze([name]), negated })));
  }
  return known;
}

const protocolMatches = new Map<string, NonNullable<RuleMatch['protocols']>>();

function portModule(modules: Set<string>, protocol: string | undefined): string | undefined {
  for (const name of ['tcp', 'udp', 'sctp', 'dccp', 'udplite']) if (modules.has(name)) return name;
  return protocol && PROTOCOLS_WITH_PORTS.has(protocol) ? protocol : undefined;
}

function targetAction(token: Token, isGoto: boolean, table: string): Action {
  const name = token.text;
  if (isGoto) return { kind: 'goto', chain: chainKey(table, name) };
  switch (name) {
    case 'ACCEPT':
      return { kind: 'accept' };
    case 'DROP':
      return { kind: 'drop' };
    case 'REJECT':
      return { kind: 'reject' };
    case 'RETURN':
      return { kind: 'return' };
  }
  if (CONTINUING_TARGETS.has(name)) return { kind: 'continue' };
  if (UNFOLLOWED_TARGETS.has(name)) return { kind: 'unknown', reason: text('iptables.unfollowed-target', { target: name }) };
  return { kind: 'jump', chain: chainKey(table, name) };
}

/** True for targets that are extensions, not chains (so a missing chain declaration is not a problem). */
export function isExtensionTarget(name: string): boolean {
  return ['ACCEPT', 'DROP', 'REJECT', 'RETURN'].includes(name) || CONTINUING_TARGETS.has(name) || UNFOLLOWED_TARGETS.has(name);
}

const TCP_FLAGS: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128, ALL: 255, NONE: 0 };
const TCP_SYN = 2;

function tcpFlags(list: string): number | undefined {
  let bits = 0;
  for (const flag of list.toUpperCase().split(',')) {
    const value = TCP_FLAGS[flag];
    if (value === undefined) return undefined;
    bits |= value;
  }
  return bits;
}

function isHostName(value: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(\/\d+)?$/.test(value) && /[A-Za-z]/.test(value);
}

/** The comma-separated entries of a `-s`/`-d` argument with their spans and address sets. */
export function addressEntries(token: Token, family: IpFamily): SourceEntry[] {
  const out: SourceEntry[] = [];
  let offset = token.quoted ? token.span.start + 1 : token.span.start;
  for (const part of token.text.split(',')) {
    const span: Span = { file: token.span.file, start: offset, end: offset + part.length };
    offset += part.length + 1;
    const set = iptablesAddress(part, family);
    out.push({ text: part, span, ...(set ? { set } : {}) });
  }
  return out;
}

/**
 * An address as iptables reads it: `a.b.c.d[/len|/mask]` with missing trailing octets as zeros (`10.1/16`,
 * `0/0`), IPv6 with an optional length; host bits are masked off.
 */
export function iptablesAddress(value: string, family: IpFamily): AddressSet | undefined {
  // A pure function of its text: every keystroke re-reads the same addresses (sets are immutable, so shared).
  return memoValue(family === 4 ? addressMemo4 : addressMemo6, value, () => readAddress(value, family));
}

const addressMemo4 = valueMemo<AddressSet | undefined>();
const addressMemo6 = valueMemo<AddressSet | undefined>();

function readAddress(value: string, family: IpFamily): AddressSet | undefined {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const mask = slash < 0 ? undefined : value.slice(slash + 1);
  if (family === 4) {
    if (!/^\d{1,3}(\.\d{1,3}){0,3}$/.test(address)) return undefined;
    const octets = address.split('.').map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    while (octets.length < 4) octets.push(0);
    let prefix = 32;
    if (mask !== undefined) {
      if (/^\d{1,2}$/.test(mask)) prefix = Number(mask);
      else if (/^\d{1,3}(\.\d{1,3}){3}$/.test(mask)) {
        const bits = mask
          .split('.')
          .map((octet) => Number(octet).toString(2).padStart(8, '0'))
          .join('');
        if (!/^1*0*$/.test(bits) || mask.split('.').some((octet) => Number(octet) > 255)) return undefined;
        prefix = bits.indexOf('0') < 0 ? 32 : bits.indexOf('0');
      } else return undefined;
      if (prefix > 32) return undefined;
    }
    const parsed = parseRange(`${octets.join('.')}/${prefix}`);
    return parsed ? AddressSet.of(parsed.range) : undefined;
  }
  if (!address.includes(':')) return undefined;
  let prefix = 128;
  if (mask !== undefined) {
    if (!/^\d{1,3}$/.test(mask) || Number(mask) > 128) return undefined;
    prefix = Number(mask);
  }
  const parsed = parseRange(`${address}/${prefix}`);
  if (!parsed) return undefined;
  // An IPv4-mapped IPv6 address in ip6tables is an IPv6 address: keep it inside the IPv6 space.
  if (parsed.version === 4) return AddressSet.of({ start: parsed.range.start, end: parsed.range.end });
  return AddressSet.of(parsed.range);
}

function parseAddressRange(value: string, family: IpFamily): AddressSet | undefined {
  const [from, to] = value.split('-');
  if (!from) return undefined;
  const start = iptablesAddress(from, family)?.intervals[0]?.start;
  const end = to === undefined ? start : iptablesAddress(to, family)?.intervals[0]?.start;
  if (start === undefined || end === undefined || end < start) return undefined;
  return AddressSet.of({ start, end });
}

/** `22`, `1000:2000`, `:1024`, `1024:`, a service name; multiport: a comma list of those (at most 15 ports). */
export function parsePorts(value: string, list: boolean): PortSet | undefined {
  return memoValue(list ? portListMemo : portMemo, value, () => readPorts(value, list));
}

const portMemo = valueMemo<PortSet | undefined>();
const portListMemo = valueMemo<PortSet | undefined>();

function readPorts(value: string, list: boolean): PortSet | undefined {
  const parts = list ? value.split(',') : [value];
  const ranges: Array<{ from: number; to: number }> = [];
  let count = 0;
  for (const part of parts) {
    const colon = part.indexOf(':');
    const one = (text: string, fallback: number) => (text === '' ? fallback : port(text));
    const from = colon < 0 ? port(part) : one(part.slice(0, colon), 0);
    const to = colon < 0 ? from : one(part.slice(colon + 1), 65535);
    if (from === undefined || to === undefined) return undefined;
    ranges.push({ from: Math.min(from, to), to: Math.max(from, to) });
    count += colon < 0 ? 1 : 2;
  }
  if (list && count > 15) return undefined;
  return PortSet.of(...ranges);
}

function port(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value <= 65535 ? value : undefined;
  }
  return SERVICE_NAMES[text.toLowerCase()];
}
