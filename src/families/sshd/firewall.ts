// The firewall beside an sshd_config: ufw's user rules or iptables-save files in the same folder or the folders
// above it (a copy of /etc holds ssh/sshd_config and iptables/rules.v4). The firewall families' packet-path
// model says whether the whole internet reaches sshd's port; sshd's findings say so when it does.
import type { FileAccess, Span } from '../../core/types';
import type { AddressSet } from '../../net';
import { publicPart } from '../../net';
import { decisionSpan, isVeryWide, portReach } from '../shared/firewall';
import { dirname, joinPath, readSource } from '../shared/paths';
import { type FirewallView, readFirewallView } from '../ufw/docker-view';

const RULE_FILES = ['user.rules', 'user6.rules', 'rules.v4', 'rules.v6', 'iptables', 'ip6tables', 'iptables.rules', 'ip6tables.rules'];

/** Firewall files in the folder of `path`, its parent and grandparent, and their ufw/iptables/sysconfig folders. */
export async function findFirewalls(path: string, files: FileAccess): Promise<FirewallView[]> {
  const views: FirewallView[] = [];
  let current = dirname(path);
  for (let level = 0; level < 3; level++) {
    for (const folder of [current, joinPath(current, 'ufw'), joinPath(current, 'iptables'), joinPath(current, 'sysconfig')]) {
      const names = await files.readDirectory(folder).catch(() => undefined);
      for (const name of (names ?? []).filter((entry) => RULE_FILES.includes(entry)).sort()) {
        // ufw's view reads both of its families from the folder at once.
        if (name === 'user6.rules' && names!.includes('user.rules')) continue;
        const source = await readSource(files, joinPath(folder, name));
        const view = source && (await readFirewallView(source, files));
        if (view && view.rulesets.length) views.push(view);
      }
    }
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return views;
}

export interface FirewallExposure {
  /** The firewall file that lets the internet in. */
  file: string;
  port: number;
  /** The rule (or policy) that accepts. */
  span?: Span;
}

/** The first of sshd's ports a very wide part of the internet reaches through these firewalls, if any. */
export function exposedPort(views: readonly FirewallView[], ports: readonly number[], trusted: AddressSet): FirewallExposure | undefined {
  for (const view of views)
    for (const ruleset of view.rulesets)
      for (const port of ports) {
        const reach = portReach(ruleset, 'tcp', port, { trusted });
        if (!isVeryWide(reach.publicAccepted, ruleset.family)) continue;
        const accepting = reach.outcomes.find((outcome) => outcome.verdict === 'accept' && outcome.decidedBy && !publicPart(outcome.sources).isEmpty());
        const span = accepting?.decidedBy ? decisionSpan(accepting.decidedBy) : undefined;
        return { file: view.source.path, port, ...(span ? { span } : {}) };
      }
  return undefined;
}
