// Datastore and admin-tool ports and image names, shared by the compose and Kubernetes families.
// (Section 3.6 of the rule research; the ports are the programs' documented defaults.)

export type ServiceKind = 'redis' | 'mongodb' | 'mysql' | 'postgresql' | 'elasticsearch' | 'memcached' | 'datastore' | 'admin-tool';

export interface WellKnown {
  kind: ServiceKind;
  label: string;
}

const PORTS: ReadonlyArray<[number, ServiceKind, string]> = [
  [3306, 'mysql', 'MySQL/MariaDB'],
  [33060, 'mysql', 'MySQL X Protocol'],
  [5432, 'postgresql', 'PostgreSQL'],
  [6379, 'redis', 'Redis'],
  [26379, 'redis', 'Redis Sentinel'],
  [27017, 'mongodb', 'MongoDB'],
  [27018, 'mongodb', 'MongoDB'],
  [27019, 'mongodb', 'MongoDB'],
  [9200, 'elasticsearch', 'Elasticsearch HTTP'],
  [9300, 'elasticsearch', 'Elasticsearch transport'],
  [5601, 'admin-tool', 'Kibana'],
  [11211, 'memcached', 'memcached'],
  [1433, 'datastore', 'SQL Server'],
  [1434, 'datastore', 'SQL Server browser'],
  [1521, 'datastore', 'Oracle'],
  [5984, 'datastore', 'CouchDB'],
  [8086, 'datastore', 'InfluxDB'],
  [7474, 'datastore', 'Neo4j HTTP'],
  [7687, 'datastore', 'Neo4j Bolt'],
  [9042, 'datastore', 'Cassandra'],
  [2375, 'admin-tool', 'Docker API (no TLS)'],
  [2376, 'admin-tool', 'Docker API'],
  [2379, 'datastore', 'etcd'],
  [2380, 'datastore', 'etcd peer'],
  [10250, 'admin-tool', 'kubelet'],
  [8500, 'admin-tool', 'Consul'],
  [5672, 'datastore', 'RabbitMQ'],
  [15672, 'admin-tool', 'RabbitMQ management'],
  [9092, 'datastore', 'Kafka'],
];

const portIndex = new Map(PORTS.map(([port, kind, label]) => [port, { kind, label }]));

export function wellKnownPort(port: number): WellKnown | undefined {
  return portIndex.get(port);
}

const IMAGES: ReadonlyArray<[RegExp, ServiceKind, string]> = [
  [/^(redis|redis-stack|redis-stack-server|valkey|keydb)$/, 'redis', 'Redis'],
  [/^(mongo|mongodb|mongodb-community-server|mongodb-enterprise-server)$/, 'mongodb', 'MongoDB'],
  [/^(mysql|mariadb|percona|percona-server|mysql-server)$/, 'mysql', 'MySQL/MariaDB'],
  [/^(postgres|postgresql|postgis|timescaledb|timescaledb-ha)$/, 'postgresql', 'PostgreSQL'],
  [/^(elasticsearch|opensearch)$/, 'elasticsearch', 'Elasticsearch'],
  [/^memcached$/, 'memcached', 'memcached'],
  [/^(couchdb|cassandra|neo4j|influxdb|clickhouse-server|etcd|rabbitmq|minio|mssql-server)$/, 'datastore', 'datastore'],
  [
    /^(adminer|phpmyadmin|pgadmin4|mongo-express|redis-commander|kibana|opensearch-dashboards|mailhog|mailpit|portainer|portainer-ce)$/,
    'admin-tool',
    'admin tool',
  ],
];

export interface ImageName {
  /** Registry host, when one is written. */
  registry?: string;
  /** Path without the registry, e.g. `library/redis`, `bitnami/redis`. */
  repository: string;
  /** Last path component, e.g. `redis`. */
  name: string;
  tag?: string;
  /** Docker Hub's official image (`redis`, `library/redis`, `docker.io/library/redis`). */
  official: boolean;
}

export function parseImage(reference: string): ImageName {
  const withoutDigest = reference.split('@')[0]!;
  const parts = withoutDigest.split('/');
  const registry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!) ? parts.shift() : undefined;
  const last = parts.pop() ?? '';
  const colon = last.indexOf(':');
  const name = (colon < 0 ? last : last.slice(0, colon)).toLowerCase();
  const tag = colon < 0 ? undefined : last.slice(colon + 1);
  const repository = [...parts, name].join('/');
  const dockerHub = registry === undefined || registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io';
  const official = dockerHub && (parts.length === 0 || (parts.length === 1 && parts[0] === 'library'));
  return { ...(registry ? { registry } : {}), repository, name, ...(tag !== undefined ? { tag } : {}), official };
}

/** The major version an image's tag starts with (`7.2-alpine` -> 7); NaN when there is no tag or it names none. */
export function majorVersion(image: ImageName | undefined): number {
  return Number(/^(\d+)/.exec(image?.tag ?? '')?.[1] ?? NaN);
}

export function wellKnownImage(reference: string): WellKnown | undefined {
  const { name } = parseImage(reference);
  const match = IMAGES.find(([pattern]) => pattern.test(name));
  return match ? { kind: match[1], label: match[2] } : undefined;
}

/** The program a command line starts, e.g. `redis-server` -> redis. */
export function wellKnownProgram(program: string): WellKnown | undefined {
  const base = program.slice(program.lastIndexOf('/') + 1);
  if (base === 'redis-server') return { kind: 'redis', label: 'Redis' };
  if (base === 'mongod') return { kind: 'mongodb', label: 'MongoDB' };
  if (base === 'mysqld' || base === 'mariadbd') return { kind: 'mysql', label: 'MySQL/MariaDB' };
  if (base === 'postgres') return { kind: 'postgresql', label: 'PostgreSQL' };
  if (base === 'memcached') return { kind: 'memcached', label: 'memcached' };
  return undefined;
}
