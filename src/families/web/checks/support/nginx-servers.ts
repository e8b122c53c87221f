// Which nginx servers the web rules consider: those a visitor on the network can reach.
import type { NginxServer } from '../../nginx/model';

/** A server with no listen line (port 80 on every address) or one listening beyond loopback and unix sockets. */
export function isReachable(server: NginxServer): boolean {
  return server.listens.length === 0 || server.listens.some((listen) => listen.reachable);
}
