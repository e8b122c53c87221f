// The nftables ruleset a file (with its includes) builds: tables, chains with their hooks and policies,
// named sets and maps, and rules as written (their meaning is read by rule.ts). Every part keeps the span
// where it is written; values copied from a `define` keep the span of the define and the places they were used.
import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import type { Node } from './syntax';

/** Address families of nft tables (nft(8) "ADDRESS FAMILIES"); `ip` when none is written. */
export type NftFamily = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';
export const NFT_FAMILIES: readonly NftFamily[] = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];

export interface NftTable {
  family: NftFamily;
  name: string;
  /** Where the table is first declared (its name). */
  span: Span;
  chains: Map<string, NftChain>;
  sets: Map<string, NftSet>;
  /** `flags dormant`: the table is loaded but none of its chains see packets. */
  dormant: boolean;
}

export interface NftBase {
  /** filter, nat or route. */
  type: string;
  hook: string;
  /** Undefined when the priority is an expression the parser does not evaluate. */
  priority: number | undefined;
  policy: 'accept' | 'drop';
  /** The `policy …` statement, when written. */
  policySpan?: Span;
  /** The `type … hook … priority …` statement. */
  span: Span;
  /** netdev ingress: the devices the chain is attached to. */
  devices: string[];
}

export interface NftChain {
  table: NftTable;
  name: string;
  span: Span;
  base?: NftBase;
  rules: NftRule[];
  /** Position of the chain's declaration among all chains, for ordering base chains of equal priority. */
  order: number;
}

export interface NftRule {
  chain: NftChain;
  /** The rule as written (variables expanded; set and map contents are values of the nodes). */
  nodes: Node[];
  /** The whole rule where it is written. */
  span: Span;
}

export interface NftSetElement {
  /** The element's nodes (a value, a range, a concatenation, `key : value` in a map). */
  nodes: Node[];
  span: Span;
}

export interface NftSet {
  table: NftTable;
  name: string;
  span: Span;
  isMap: boolean;
  /** The key's data types (`type ipv4_addr . inet_service` -> two), or the `typeof` selectors as text. */
  keyTypes: string[];
  flags: string[];
  elements: NftSetElement[];
  /** `auto-merge`: overlapping and adjacent interval elements are merged instead of refused. */
  autoMerge: boolean;
  /**
   * The contents are not only what the files list: the set is updated from the packet path (`add @set`,
   * `update @set`, `flags dynamic`) or has timeouts, so elements come and go at run time.
   */
  dynamic: boolean;
}

export interface IncludeRecord {
  /** The `include "…"` string. */
  span: Span;
  pattern: string;
  /** The files it reads, in the order nft reads them. */
  files: string[];
}

/** A whole ruleset as nft would load it from the linted file. */
export class NftRuleset {
  constructor(
    readonly tables: readonly NftTable[],
    /** Every file read (the linted one first). */
    readonly sources: SourceText[],
    /** The `flush ruleset` statements (in the order they run). */
    readonly flushes: Span[],
    readonly includes: IncludeRecord[],
    /** The linted file is loaded as part of this root file (it is included from there). */
    readonly root: string,
  ) {}

  table(family: NftFamily, name: string): NftTable | undefined {
    return this.tables.find((table) => table.family === family && table.name === name);
  }

  *chains(): Iterable<NftChain> {
    for (const table of this.tables) yield* table.chains.values();
  }

  *rules(): Iterable<NftRule> {
    for (const chain of this.chains()) yield* chain.rules;
  }
}
