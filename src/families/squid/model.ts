// A squid.conf as Squid uses it for access control: its ACLs (the predefined ones first, then every `acl`
// line in order, same-name lines appending) and its http_access rules, in the order Squid checks them.
import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import type { AddressSet } from '../../net';
import type { AddressEntry } from './addresses';
import type { SquidLine, SquidToken } from './syntax';

export interface AclValue {
  text: string;
  span: Span;
  /** Regular expressions: `-i` before them (until `+i`) makes them case-insensitive. */
  caseInsensitive: boolean;
}

export interface Acl {
  name: string;
  type: string;
  /** all, manager, localhost, to_localhost, CONNECT: defined by Squid before the file is read. */
  builtin: boolean;
  /** The `acl` lines that define it (none for a predefined ACL left alone). */
  lines: SquidLine[];
  /** Flags written before the values (`-n`, `-i` ...). */
  flags: string[];
  /** Values of non-address types. */
  values: AclValue[];
  /** src/dst entries in order, with the ones Squid drops marked. */
  entries: AddressEntry[];
  /** src/dst: the addresses the ACL matches. */
  set?: AddressSet;
  /** Some values could not be read here ("file" not found, a host name to resolve): its match is unknown. */
  incomplete: boolean;
}

export interface AclReference {
  name: string;
  negated: boolean;
  token: SquidToken;
}

export interface AccessRule {
  line: SquidLine;
  action: 'allow' | 'deny';
  acls: AclReference[];
}

export interface HttpPort {
  line: SquidLine;
  /** A forward proxy port; accel, intercept, transparent and tproxy ports are not asked as a proxy. */
  forward: boolean;
}

export class SquidConfig {
  constructor(
    /** Every logical line of every file read, in the order `squid -k parse` processes them. */
    readonly lines: readonly SquidLine[],
    readonly acls: ReadonlyMap<string, Acl>,
    /** Active http_access lines that name at least one ACL (Squid skips the others). */
    readonly httpAccess: readonly AccessRule[],
    readonly ports: readonly HttpPort[],
    /** Access lists checked after http_access that can still refuse a request (miss_access, adapted_http_access). */
    readonly laterAccessLists: readonly SquidLine[],
    readonly sources: readonly SourceText[],
    /** Include lines and ACL files that could not be read here. */
    readonly unresolved: readonly Span[],
  ) {}

  /** Whether Squid listens as a forward proxy at all (an accel-only or intercept-only Squid is not asked as one). */
  get forwardProxy(): boolean {
    return this.ports.some((port) => port.forward);
  }
}
