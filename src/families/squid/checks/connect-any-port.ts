// squid/connect-any-port: CONNECT is allowed to ports that are not HTTPS (Debian's default refuses them with
// `http_access deny CONNECT !SSL_ports`): clients can tunnel SMTP, SSH or any protocol through the proxy to
// outside servers, past egress filtering (case 41: systems attacking outside servers).
import { squidModel } from '../formats';
import { type EditSpec, defineCheck } from '../../../core/check';
import { AddressSet, isLoopbackOnly } from '../../../net';
import type { SquidConfig } from '../model';
import { connectRequest, walkAccess } from '../access';

/** SMTP, SSH, telnet, RDP and IRC: the tunnels an abused proxy is asked for (low ports and high ones). */
export const PROBE_PORTS = [25, 22, 23, 3389, 6667];
const LOOPBACK = AddressSet.parse(['127.0.0.0/8', '::1/128']);

export const connectAnyPort = defineCheck<SquidConfig>({
  rule: 'squid/connect-any-port',
  model: squidModel,
  run(config, report) {
    if (!config.forwardProxy || config.laterAccessLists.length) return;
    for (const port of PROBE_PORTS) {
      const allowed = walkAccess(config, connectRequest(port)).filter(
        (outcome) => outcome.verdict === 'allow' && !outcome.set.isEmpty() && !isLoopbackOnly(outcome.set) && !outcome.set.subtract(LOOPBACK).isEmpty(),
      );
      const first = allowed[0];
      if (!first) continue;
      const line = first.rule?.line ?? config.httpAccess[config.httpAccess.length - 1]?.line;
      if (!line) return;
      // `http_access deny CONNECT !SSL_ports` before the rule that lets the tunnel through (with its ACL if missing).
      const sslPorts = config.acls.get('SSL_ports');
      // An ACL must be defined before a rule names it: an SSL_ports written later does not count here.
      const definedBefore = sslPorts?.lines.some((definition) => config.lines.indexOf(definition) < config.lines.indexOf(line));
      const before = first.rule ? line.span.start : line.span.end;
      const insertion = `${sslPorts?.type === 'port' && definedBefore ? '' : 'acl SSL_ports port 443\n'}http_access deny CONNECT !SSL_ports`;
      const edit: EditSpec = first.rule
        ? { span: { file: line.span.file, start: before, end: before }, newText: `${insertion}\n` }
        : { span: { file: line.span.file, start: before, end: before }, newText: `\n${insertion}` };
      report(line.span, { port }, { suggestions: sslPorts && sslPorts.type !== 'port' ? [] : [{ title: 'deny-connect', edits: [edit] }] });
      return;
    }
  },
});
