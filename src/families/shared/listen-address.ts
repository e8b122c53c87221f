// What a listen/bind address means for reachability. A daemon bound to the unspecified address
// (0.0.0.0, ::, *) accepts connections on every interface, so it stands for the whole address space.
import { AddressSet, isLoopbackOnly, parseRange, publicPart } from '../../net';

const EVERY_V4 = AddressSet.parse(['0.0.0.0/0']);
const EVERY_V6 = AddressSet.parse(['::/0']);

export type Reach = 'loopback' | 'all-interfaces' | 'public-address' | 'private-address' | 'unknown';

/** The addresses a listener bound to `text` answers on, or undefined when `text` is not an address. */
export function listenSet(text: string): AddressSet | undefined {
  const bare = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (bare === '*' || bare === '0.0.0.0' || bare === '0') return EVERY_V4;
  if (bare === '::*' || bare === '::' || bare === '::0') return EVERY_V6;
  if (bare.toLowerCase() === 'localhost') return AddressSet.parse(['127.0.0.1', '::1']);
  const parsed = parseRange(bare);
  if (!parsed || !parsed.bare) return undefined;
  return AddressSet.of(parsed.range);
}

export function reachOf(text: string): Reach {
  const set = listenSet(text);
  if (!set) return 'unknown';
  if (isLoopbackOnly(set)) return 'loopback';
  if (set.size() > 1n) return 'all-interfaces';
  return publicPart(set).isEmpty() ? 'private-address' : 'public-address';
}

/** True when the listener is reachable from beyond this host (any address that is not loopback). */
export function beyondLoopback(text: string): boolean {
  const reach = reachOf(text);
  return reach !== 'loopback' && reach !== 'unknown';
}
