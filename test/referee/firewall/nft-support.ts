// Helpers the nftables and firewalld referees share (both end in an nftables ruleset in the target namespace).
import type { NamespaceRun, ProbePlan } from './netns';

const NFT = '/usr/sbin/nft';

/** Rules `nft list ruleset` shows (lines inside chains that are not the chain's declarations). */
export function countNftRules(listing: string): number {
  let inChain = false;
  let count = 0;
  for (const raw of listing.split('\n')) {
    const line = raw.trim();
    if (/^chain\s/.test(line)) inChain = true;
    else if (line === '}') inChain = false;
    else if (inChain && line && !/^(type|policy|comment|devices)\b/.test(line)) count++;
  }
  return count;
}

/** The plan with each source once (an address can be both a rule's edge and one of the fixed probes). */
export function distinctSources(plan: ProbePlan): ProbePlan {
  return { ...plan, sources: [...new Set(plan.sources)] };
}

/** A load step's `count`: the rules the namespace's nftables ruleset holds once loaded. */
export async function countNftRuleset(run: NamespaceRun): Promise<number> {
  return countNftRules((await run([NFT, 'list', 'ruleset'])).stdout);
}
