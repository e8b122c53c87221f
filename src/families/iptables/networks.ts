// The networks a suggestion may open a port to: the project's trusted networks, else the private blocks.
import type { AddressSet } from '../../net';
import type { IpFamily } from '../shared/firewall';

const PRIVATE = { 4: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16', 6: 'fc00::/7' } as const;

/** `-s` text for a family: the trusted networks of that family, or the private blocks when none is set. */
export function ownNetworks(family: IpFamily, trusted: AddressSet): string {
  const own = trusted.toCidrs().filter((cidr) => (family === 4 ? !cidr.includes(':') : cidr.includes(':')));
  return own.length ? own.join(',') : PRIVATE[family];
}
