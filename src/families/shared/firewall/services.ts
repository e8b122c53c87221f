// The ports firewall rules care about: remote administration and datastores that must not face the internet
// (rule research section 3.6 and 4.21/4.22; the ports are the programs' documented defaults).
import type { Protocol } from './model';
import type { PortSet } from './ports';

/**
 * error: accepts clients without authentication by default, or is the entry point of the cases (RDP, Docker API);
 * warning: an administration or datastore service with its own login; info: SSH (only worth a note on its own).
 */
export type ServiceSeverity = 'error' | 'warning' | 'info';

export interface FirewallService {
  port: number;
  protocols: readonly Protocol[];
  /** Product name (not translated). */
  label: string;
  severity: ServiceSeverity;
  /** The compose/datastore kind behind the port, for cross-file notes. */
  kind: 'remote-admin' | 'datastore' | 'container-api' | 'ssh';
}

const TCP: readonly Protocol[] = ['tcp'];
const BOTH: readonly Protocol[] = ['tcp', 'udp'];

export const FIREWALL_SERVICES: readonly FirewallService[] = [
  { port: 3389, protocols: BOTH, label: 'Remote Desktop (RDP)', severity: 'error', kind: 'remote-admin' },
  { port: 2375, protocols: TCP, label: 'Docker API (no TLS)', severity: 'error', kind: 'container-api' },
  { port: 2376, protocols: TCP, label: 'Docker API', severity: 'error', kind: 'container-api' },
  { port: 6379, protocols: TCP, label: 'Redis', severity: 'error', kind: 'datastore' },
  { port: 11211, protocols: BOTH, label: 'memcached', severity: 'error', kind: 'datastore' },
  { port: 9200, protocols: TCP, label: 'Elasticsearch HTTP', severity: 'error', kind: 'datastore' },
  { port: 9300, protocols: TCP, label: 'Elasticsearch transport', severity: 'error', kind: 'datastore' },
  { port: 27017, protocols: TCP, label: 'MongoDB', severity: 'error', kind: 'datastore' },
  { port: 2379, protocols: TCP, label: 'etcd', severity: 'error', kind: 'datastore' },
  { port: 23, protocols: TCP, label: 'Telnet', severity: 'warning', kind: 'remote-admin' },
  { port: 5900, protocols: TCP, label: 'VNC', severity: 'warning', kind: 'remote-admin' },
  { port: 5901, protocols: TCP, label: 'VNC', severity: 'warning', kind: 'remote-admin' },
  { port: 139, protocols: TCP, label: 'SMB (NetBIOS)', severity: 'warning', kind: 'remote-admin' },
  { port: 445, protocols: TCP, label: 'SMB', severity: 'warning', kind: 'remote-admin' },
  { port: 5985, protocols: TCP, label: 'WinRM', severity: 'warning', kind: 'remote-admin' },
  { port: 5986, protocols: TCP, label: 'WinRM (HTTPS)', severity: 'warning', kind: 'remote-admin' },
  { port: 623, protocols: ['udp'], label: 'IPMI', severity: 'warning', kind: 'remote-admin' },
  { port: 6443, protocols: TCP, label: 'Kubernetes API', severity: 'warning', kind: 'container-api' },
  { port: 10250, protocols: TCP, label: 'kubelet', severity: 'warning', kind: 'container-api' },
  { port: 3306, protocols: TCP, label: 'MySQL/MariaDB', severity: 'warning', kind: 'datastore' },
  { port: 33060, protocols: TCP, label: 'MySQL X Protocol', severity: 'warning', kind: 'datastore' },
  { port: 5432, protocols: TCP, label: 'PostgreSQL', severity: 'warning', kind: 'datastore' },
  { port: 1433, protocols: TCP, label: 'SQL Server', severity: 'warning', kind: 'datastore' },
  { port: 1521, protocols: TCP, label: 'Oracle', severity: 'warning', kind: 'datastore' },
  { port: 5984, protocols: TCP, label: 'CouchDB', severity: 'warning', kind: 'datastore' },
  { port: 9042, protocols: TCP, label: 'Cassandra', severity: 'warning', kind: 'datastore' },
  { port: 8086, protocols: TCP, label: 'InfluxDB', severity: 'warning', kind: 'datastore' },
  { port: 7687, protocols: TCP, label: 'Neo4j Bolt', severity: 'warning', kind: 'datastore' },
  { port: 5672, protocols: TCP, label: 'RabbitMQ', severity: 'warning', kind: 'datastore' },
  { port: 15672, protocols: TCP, label: 'RabbitMQ management', severity: 'warning', kind: 'remote-admin' },
  { port: 9092, protocols: TCP, label: 'Kafka', severity: 'warning', kind: 'datastore' },
  { port: 5601, protocols: TCP, label: 'Kibana', severity: 'warning', kind: 'remote-admin' },
  { port: 8500, protocols: TCP, label: 'Consul', severity: 'warning', kind: 'remote-admin' },
  { port: 22, protocols: TCP, label: 'SSH', severity: 'info', kind: 'ssh' },
];

/** The services listening on `ports` of `protocol`. */
export function servicesOn(protocol: Protocol, ports: PortSet | { from: number; to: number }): FirewallService[] {
  const has = 'has' in ports ? (port: number) => ports.has(port) : (port: number) => ports.from <= port && port <= ports.to;
  return FIREWALL_SERVICES.filter((service) => service.protocols.includes(protocol) && has(service.port));
}

export function serviceAt(protocol: Protocol, port: number): FirewallService | undefined {
  return FIREWALL_SERVICES.find((service) => service.port === port && service.protocols.includes(protocol));
}
