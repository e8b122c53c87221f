// The connections a configuration distinguishes: clients that match no Match block (the global context) and,
// for each Match block, a client that matches it. Each context has a concrete representative client (an address,
// a user, …) built from the block's criteria, so its options are exactly what sshd gives that client
// (`SshdConfig.evaluate`), and the referee can ask sshd the same question with `sshd -T -C`.
import { AddressSet, V4_MAPPED_BASE, classOf, formatAddress, publicPart } from '../../net';
import type { SshdConfig, MatchBlock, Effective } from './model';
import { type Client, type Criterion, conditionMatches, exampleFor } from './match';
import { addressListView, matchPatternList, parseAddress } from './patterns';
import { parsePort } from './values';
import { listenEntries } from './dump';

export interface SshdContext {
  /** Undefined for the global context. */
  block?: MatchBlock;
  client: Client;
  /** The representative connects from a public address outside the trusted networks. */
  public: boolean;
  effective: Effective;
}

/** A user name that matches no pattern a configuration is likely to hold. */
export const NEUTRAL_USER = 'scr-user';
const EVERYTHING = AddressSet.of({ start: 0n, end: (1n << 128n) - 1n });

/** The unified-space value of an address text (IPv4 inside ::ffff:0:0/96), or undefined. */
export function addressValue(text: string | undefined): bigint | undefined {
  const address = text === undefined ? undefined : parseAddress(text);
  if (!address) return undefined;
  return address.family === 4 ? V4_MAPPED_BASE + address.value : address.value;
}

export function isPublicAddress(text: string | undefined, trusted: AddressSet): boolean {
  const value = addressValue(text);
  return value !== undefined && classOf(value) === 'public' && !trusted.contains(value);
}

function criteriaOf(block: MatchBlock | undefined, attribute: Criterion['attribute']): Criterion[] {
  return block?.condition.criteria.filter((criterion) => criterion.attribute === attribute) ?? [];
}

const views = new WeakMap<Criterion, AddressSet>();

function addressSetOf(criteria: readonly Criterion[]): AddressSet {
  return criteria.reduce((set, criterion) => {
    let view = views.get(criterion);
    if (!view) views.set(criterion, (view = addressListView(criterion.value.value).set));
    return set.intersect(view);
  }, EVERYTHING);
}

/** The addresses some Match block's Address criteria name (what a client avoids to match no other block). */
const namedAddresses = new WeakMap<SshdConfig, AddressSet>();
function addressesNamed(config: SshdConfig): AddressSet {
  let set = namedAddresses.get(config);
  if (!set) {
    set = AddressSet.of(...config.blocks.flatMap((block) => (criteriaOf(block, 'address').length ? addressSetOf(criteriaOf(block, 'address')).intervals : [])));
    namedAddresses.set(config, set);
  }
  return set;
}

/** A few addresses of a set: the first of each of its first intervals. */
function samples(set: AddressSet, count = 4): bigint[] {
  return set.intervals.slice(0, count).map((interval) => interval.start);
}

function fitsAll(name: string, criteria: readonly Criterion[], lower: boolean): boolean {
  return criteria.every((criterion) => matchPatternList(lower ? name.toLowerCase() : name, criterion.value.value, lower) === 1);
}

/** A name every criterion accepts, preferring `fallback` and then one the other blocks' criteria do not catch. */
function nameFor(criteria: readonly Criterion[], others: readonly Criterion[], fallback: string, lower = false): string | undefined {
  if (criteria.length === 0) return fallback;
  const candidates = [fallback, ...criteria.map((criterion) => exampleFor(criterion.value.value) ?? '')].filter((name) => name !== '');
  const fits = candidates.filter((name) => fitsAll(name, criteria, lower));
  // Prefer a name the other blocks' patterns do not catch (looked for among a bounded number of them).
  const rivals = others.slice(0, 64);
  return fits.find((name) => rivals.every((criterion) => matchPatternList(lower ? name.toLowerCase() : name, criterion.value.value, lower) !== 1)) ?? fits[0];
}

export interface RepresentativeOptions {
  /** Only addresses that are public and outside the trusted networks. */
  public: boolean;
  trusted: AddressSet;
  /** A fixed user (root) and their groups. */
  user?: string;
  groups?: readonly string[];
}

/**
 * A client that matches `target` (or, without a target, no conditional Match block), built from its criteria;
 * undefined when no such client exists (a public client for a block limited to private addresses).
 */
export function representative(config: SshdConfig, target: MatchBlock | undefined, options: RepresentativeOptions): Client | undefined {
  let byKey = representatives.get(config);
  if (!byKey) representatives.set(config, (byKey = new Map()));
  const key = `${target?.index ?? 'global'}|${options.public}|${options.trusted.toCidrs().join(',')}|${options.user ?? ''}|${(options.groups ?? []).join(',')}`;
  if (!byKey.has(key)) byKey.set(key, buildRepresentative(config, target, options));
  return byKey.get(key);
}

const representatives = new WeakMap<SshdConfig, Map<string, Client | undefined>>();

function buildRepresentative(config: SshdConfig, target: MatchBlock | undefined, options: RepresentativeOptions): Client | undefined {
  const others = config.blocks.filter((block) => block !== target && !block.condition.all);
  const othersOf = (attribute: Criterion['attribute']) => others.flatMap((block) => criteriaOf(block, attribute));
  const user = options.user ?? nameFor(criteriaOf(target, 'user'), othersOf('user'), NEUTRAL_USER);
  if (user === undefined || !fitsAll(user, criteriaOf(target, 'user'), false)) return undefined;
  const groupCriteria = criteriaOf(target, 'group');
  const groups = options.groups ?? (groupCriteria.length ? groupCriteria.map((criterion) => exampleFor(criterion.value.value) ?? '').filter(Boolean) : []);
  let set = addressSetOf(criteriaOf(target, 'address'));
  if (options.public) set = publicPart(set).subtract(options.trusted);
  const own = criteriaOf(target, 'address');
  // Addresses other blocks name, to stay out of them where the target leaves a choice (a preference only).
  const avoid = own.length ? addressesNamed(config).subtract(addressSetOf(own)) : addressesNamed(config);
  const local = criteriaOf(target, 'localaddress');
  const localAddress = local.length ? samples(addressSetOf(local), 1)[0] : undefined;
  const portCriterion = criteriaOf(target, 'localport')[0];
  const ports = (config.global.get('port')?.value as readonly number[] | undefined) ?? [22];
  const hostCriteria = criteriaOf(target, 'host');
  const rdomain = criteriaOf(target, 'rdomain')[0];
  for (const value of [...samples(set.subtract(avoid)), ...samples(set)]) {
    const address = formatAddress(value);
    const host = hostCriteria.length ? nameFor(hostCriteria, othersOf('host'), address, true) : address;
    if (host === undefined) return undefined;
    const client: Client = {
      user,
      groups,
      host,
      address,
      ...(localAddress !== undefined ? { localAddress: formatAddress(localAddress) } : {}),
      localPort: portCriterion ? parsePort(portCriterion.value.value) : ports[0]!,
      ...(rdomain ? { rdomain: exampleFor(rdomain.value.value) ?? rdomain.value.value } : {}),
    };
    const fits = target ? conditionMatches(target.condition, client) : config.matchedBlocks(client).length === 0;
    if (fits && (!options.public || isPublicAddress(address, options.trusted))) return client;
  }
  return undefined;
}

/** Whether sshd listens anywhere but loopback (ListenAddress limited to 127.0.0.0/8 or ::1: nobody else connects). */
export function listensBeyondLoopback(config: SshdConfig): boolean {
  const entries = listenEntries(config.global);
  if (entries.length === 0) return true;
  return entries.some((entry) => {
    if (entry.host === 'localhost') return false;
    const value = addressValue(entry.host);
    return value === undefined || classOf(value) !== 'loopback';
  });
}

const contextCache = new WeakMap<SshdConfig, Map<string, SshdContext[]>>();

/**
 * The Match blocks given a context of their own: every conditional block, up to a bound that keeps a
 * generated file with thousands of blocks from stalling the editor (the rest are not judged).
 */
export const MAX_CONTEXT_BLOCKS = 64;
export function conditionalBlocks(config: SshdConfig): MatchBlock[] {
  return config.blocks.filter((block) => !block.condition.all).slice(0, MAX_CONTEXT_BLOCKS);
}

/**
 * The global context and one per Match block, each with a public representative when one exists (else one from
 * inside the block's range); `user` fixes the user name (root questions).
 */
export function contextsOf(config: SshdConfig, trusted: AddressSet, user?: { name: string; groups: readonly string[] }): SshdContext[] {
  let byKey = contextCache.get(config);
  if (!byKey) contextCache.set(config, (byKey = new Map()));
  const key = `${trusted.toCidrs().join(',')}|${user?.name ?? ''}`;
  const cached = byKey.get(key);
  if (cached) return cached;
  const exposed = listensBeyondLoopback(config);
  const fixed = user ? { user: user.name, groups: user.groups } : {};
  const out: SshdContext[] = [];
  for (const block of [undefined, ...conditionalBlocks(config)]) {
    const publicClient = exposed ? representative(config, block, { public: true, trusted, ...fixed }) : undefined;
    const client = publicClient ?? representative(config, block, { public: false, trusted, ...fixed });
    if (!client) continue;
    out.push({ ...(block ? { block } : {}), client, public: publicClient !== undefined, effective: config.evaluate(client) });
  }
  byKey.set(key, out);
  return out;
}
