// Whether an smtpd service can be reached from beyond this host: master.cf's `host:port` service name, else
// inet_interfaces (postconf(5): `all`, `loopback-only`, or addresses and host names).
import type { PostfixConfig } from './config';
import type { MasterService } from './master-cf';
import { beyondLoopback, reachOf } from '../shared/listen-address';

export function reachableBeyondLoopback(config: PostfixConfig, service: MasterService | undefined): boolean {
  // An `smtpd pass` service answers what postscreen accepted on its inet listener.
  const listener =
    service?.type === 'pass' ? config.master?.services.find((candidate) => candidate.type === 'inet' && candidate.command === 'postscreen') : service;
  const host = listener ? /^(\[[^\]]*\]|[^:[\]]+):[^:]+$/.exec(listener.name)?.[1] : undefined;
  if (host !== undefined) return reachOf(host) !== 'loopback';
  const interfaces = config.parameter('inet_interfaces', service).expanded.text.trim().toLowerCase();
  if (interfaces === 'loopback-only') return false;
  const items = interfaces.split(/[\s,]+/).filter(Boolean);
  // `all`, an address beyond loopback, or a host name we cannot resolve here.
  return items.length === 0 || items.some((item) => item === 'all' || beyondLoopback(item) || reachOf(item) === 'unknown');
}
