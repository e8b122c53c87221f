// What a ufw or iptables rules file does to a port Docker publishes, for the compose family's findings: the
// INPUT chain (what the operator thinks protects the port) and DOCKER-USER (what Docker's forwarded traffic
// really meets). Docker's DNAT sends published ports through FORWARD, so INPUT never sees them.
import type { SourceText } from '../../core/source';
import type { FileAccess, Span } from '../../core/types';
import { AddressSet, publicPart } from '../../net';
import { type Protocol, type Ruleset, decisionSpan, dockerPortReach, isVeryWide, portReach } from '../shared/firewall';
import { basename, dirname } from '../shared/paths';
import { loadRuleset } from '../iptables/formats';
import { loadUfw, readDefaults } from './load';

export interface FirewallView {
  source: SourceText;
  /** One ruleset per address family the file (set) covers. */
  rulesets: Ruleset[];
}

const UFW_NAME = /(^|[-_.])(user|before|after)6?\.rules$/;

/** The rulesets a firewall file found beside a compose file stands for (ufw: as ufw-init loads its folder). */
export async function readFirewallView(source: SourceText, files: FileAccess): Promise<FirewallView | undefined> {
  try {
    if (UFW_NAME.test(basename(source.path))) {
      const folder = dirname(source.path);
      const defaults = await readDefaults(folder, files);
      const problems = new Map();
      const rulesets = [await loadUfw(folder, 4, files, undefined, defaults, problems), await loadUfw(folder, 6, files, undefined, defaults, problems)]
        .filter((ruleset) => ruleset.applied && ruleset.files.length > 0)
        .map((ruleset) => ruleset.ruleset);
      return { source, rulesets };
    }
    if (!/^\*(filter|nat|mangle|raw)\s*$/m.test(source.text)) return undefined;
    return { source, rulesets: [loadRuleset(source, []).ruleset] };
  } catch {
    return undefined;
  }
}

export interface PublishedPortView {
  /** What INPUT would do with the internet on the host port: the belief the operator may hold. */
  input: 'closed' | 'open' | 'unknown';
  /** The rule or policy that closes it in INPUT. */
  inputSpan?: Span;
  /** What the forwarded traffic meets: no DOCKER-USER filtering, a restriction to few public addresses, or unknown. */
  docker: 'open' | 'filtered' | 'unknown';
  /** Public addresses DOCKER-USER lets through (when filtered). */
  dockerPublic: bigint;
  dockerSpan?: Span;
}

/** The view of one published port (host port, container port) in every family the file covers; undefined when none speaks. */
export function publishedPortView(
  view: FirewallView,
  protocol: Protocol,
  hostPort: number,
  containerPort: number,
  trusted: AddressSet = AddressSet.empty,
): PublishedPortView | undefined {
  let result: PublishedPortView | undefined;
  for (const ruleset of view.rulesets) {
    const input = portReach(ruleset, protocol, hostPort, { trusted });
    const inputState = isVeryWide(input.publicAccepted, ruleset.family) ? 'open' : publicPart(input.unknown).isEmpty() ? 'closed' : 'unknown';
    const closing = input.outcomes.find((outcome) => (outcome.verdict === 'drop' || outcome.verdict === 'reject') && outcome.decidedBy);
    const docker = dockerPortReach(ruleset, protocol, containerPort, { trusted });
    const dockerState = isVeryWide(docker.publicAccepted, ruleset.family) ? 'open' : publicPart(docker.unknown).isEmpty() ? 'filtered' : 'unknown';
    const filtering = docker.outcomes.find((outcome) => (outcome.verdict === 'drop' || outcome.verdict === 'reject') && outcome.decidedBy);
    const inputSpan = closing?.decidedBy ? decisionSpan(closing.decidedBy) : undefined;
    const dockerSpan = filtering?.decidedBy ? decisionSpan(filtering.decidedBy) : undefined;
    const current: PublishedPortView = {
      input: inputState,
      ...(inputSpan ? { inputSpan } : {}),
      docker: dockerState,
      dockerPublic: docker.publicCount,
      ...(dockerSpan ? { dockerSpan } : {}),
    };
    // The widest exposure of the families decides the note.
    if (!result || rank(current) > rank(result)) result = current;
  }
  return result;
}

function rank(view: PublishedPortView): number {
  return view.docker === 'open' ? 2 : view.docker === 'unknown' ? 1 : 0;
}
