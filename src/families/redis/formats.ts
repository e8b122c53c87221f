import { modelKey, text } from '../../core/check';
import type { FileAccess } from '../../core/types';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type ContentVerdict, contentLines, countShapes, looksLikeMarkup, verdictFromLines } from '../../core/sniff';
import type { SourceText } from '../../core/source';
import { RedisConfig, type RedisDirective, parseRedisFile } from './config';
import { dirname, readReferenced } from '../shared/paths';
import { nameHasWord } from '../shared/names';

export { RedisConfig } from './config';

const MAX_INCLUDE_DEPTH = 8;

/** Reads a redis.conf with its `include` files spliced in where they appear. */
export async function loadRedisConfig(source: SourceText, files: FileAccess, problems: ParseProblem[]): Promise<RedisConfig> {
  const sources: SourceText[] = [source];
  const folder = dirname(source.path);
  const expand = async (file: SourceText, depth: number, fileProblems: ParseProblem[]): Promise<RedisDirective[]> => {
    const out: RedisDirective[] = [];
    for (const directive of parseRedisFile(file, fileProblems)) {
      if (directive.name !== 'include' || !directive.args[0]) {
        out.push(directive);
        continue;
      }
      const reference = directive.args[0].text;
      const included = depth < MAX_INCLUDE_DEPTH && !/[*?[]/.test(reference) ? await readReferenced(files, reference, folder, '/etc/redis') : undefined;
      if (!included || sources.some((known) => known.path === included.path)) continue;
      sources.push(included);
      out.push(...(await expand(included, depth + 1, [])));
    }
    return out;
  };
  const directives = await expand(source, 0, problems);
  return new RedisConfig(directives, sources);
}

/** Directives redis-server reads from redis.conf (7.x, with the older names it still accepts). */
const REDIS_DIRECTIVES = new Set(
  `include loadmodule bind bind-source-addr protected-mode enable-protected-configs enable-debug-command enable-module-command
  port tcp-backlog unixsocket unixsocketperm timeout tcp-keepalive socket-mark-id tls-port tls-cert-file tls-key-file
  tls-key-file-pass tls-client-cert-file tls-client-key-file tls-client-key-file-pass tls-dh-params-file tls-ca-cert-file
  tls-ca-cert-dir tls-auth-clients tls-replication tls-cluster tls-protocols tls-ciphers tls-ciphersuites
  tls-prefer-server-ciphers tls-session-caching tls-session-cache-size tls-session-cache-timeout daemonize supervised pidfile
  loglevel logfile syslog-enabled syslog-ident syslog-facility crash-log-enabled crash-memcheck-enabled databases
  always-show-logo set-proc-title proc-title-template locale-collate save stop-writes-on-bgsave-error rdbcompression
  rdbchecksum sanitize-dump-payload dbfilename rdb-del-sync-files dir replicaof slaveof masterauth masteruser
  replica-serve-stale-data slave-serve-stale-data replica-read-only slave-read-only repl-diskless-sync
  repl-diskless-sync-delay repl-diskless-sync-max-replicas repl-diskless-load repl-ping-replica-period repl-ping-slave-period
  repl-timeout repl-disable-tcp-nodelay repl-backlog-size repl-backlog-ttl replica-priority slave-priority
  propagation-error-behavior replica-ignore-disk-write-errors replica-announced min-replicas-to-write min-slaves-to-write
  min-replicas-max-lag min-slaves-max-lag replica-announce-ip slave-announce-ip replica-announce-port slave-announce-port
  tracking-table-max-keys acllog-max-len aclfile acl-pubsub-default requirepass rename-command user maxclients maxmemory
  maxmemory-policy maxmemory-samples maxmemory-eviction-tenacity maxmemory-clients replica-ignore-maxmemory
  slave-ignore-maxmemory active-expire-effort lazyfree-lazy-eviction lazyfree-lazy-expire lazyfree-lazy-server-del
  replica-lazy-flush slave-lazy-flush lazyfree-lazy-user-del lazyfree-lazy-user-flush io-threads io-threads-do-reads
  oom-score-adj oom-score-adj-values disable-thp appendonly appendfilename appenddirname appendfsync
  no-appendfsync-on-rewrite auto-aof-rewrite-percentage auto-aof-rewrite-min-size aof-load-truncated aof-use-rdb-preamble
  aof-timestamp-enabled aof-rewrite-incremental-fsync shutdown-timeout shutdown-on-sigint shutdown-on-sigterm lua-time-limit
  busy-reply-threshold cluster-enabled cluster-config-file cluster-node-timeout cluster-port cluster-replica-validity-factor
  cluster-slave-validity-factor cluster-migration-barrier cluster-allow-replica-migration cluster-require-full-coverage
  cluster-replica-no-failover cluster-slave-no-failover cluster-allow-reads-when-down cluster-allow-pubsubshard-when-down
  cluster-link-sendbuf-limit cluster-announce-hostname cluster-announce-human-nodename cluster-preferred-endpoint-type
  cluster-announce-ip cluster-announce-tls-port cluster-announce-port cluster-announce-bus-port slowlog-log-slower-than
  slowlog-max-len latency-monitor-threshold latency-tracking latency-tracking-info-percentiles notify-keyspace-events
  hash-max-ziplist-entries hash-max-ziplist-value hash-max-listpack-entries hash-max-listpack-value hash-max-zipmap-entries
  hash-max-zipmap-value list-max-ziplist-size list-max-ziplist-entries list-max-ziplist-value list-max-listpack-size
  list-compress-depth set-max-intset-entries set-max-listpack-entries set-max-listpack-value zset-max-ziplist-entries
  zset-max-ziplist-value zset-max-listpack-entries zset-max-listpack-value hll-sparse-max-bytes stream-node-max-bytes
  stream-node-max-entries activerehashing client-output-buffer-limit client-query-buffer-limit proto-max-bulk-len hz
  dynamic-hz rdb-save-incremental-fsync lfu-log-factor lfu-decay-time activedefrag active-defrag-ignore-bytes
  active-defrag-threshold-lower active-defrag-threshold-upper active-defrag-cycle-min active-defrag-cycle-max
  active-defrag-max-scan-fields jemalloc-bg-thread server_cpulist bio_cpulist aof_rewrite_cpulist bgsave_cpulist
  ignore-warnings vm-enabled glueoutputbuf`.split(/\s+/),
);

/** 'fits' when most lines start with a directive redis-server knows; 'contradicts' when almost none does. */
export function judgeRedis(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let known = 0;
  for (const line of lines) {
    const name = /^[\w-]+/.exec(line.text)?.[0]?.toLowerCase().replace(/^--/, '');
    if (name !== undefined && REDIS_DIRECTIVES.has(name) && !/^[\w-]+[ \t]*[=:{]/.test(line.text)) known++;
  }
  return verdictFromLines(known, known, lines.length, 0.7, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace', 'assign', 'yaml']));
}

/** The redis model: what this family's loader produces and its checks read. */
export const redisModel = modelKey<RedisConfig>('redis');

export const redisConf: FormatHandler<RedisConfig> = {
  id: 'redis-conf',
  model: redisModel,
  label: text('redis.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => nameHasWord(baseName, ['redis'], ['conf']) && !/sentinel/i.test(baseName),
  // Three of redis.conf's signature directives, in a file of redis directives (tmux and Tcl also `bind`).
  detectByContent: (head) =>
    (head.match(/^(bind|protected-mode|requirepass|appendonly|maxmemory-policy|save|dbfilename|rdbcompression)[ \t]/gm)?.length ?? 0) >= 3 &&
    judgeRedis(head) === 'fits',
  judgeContent: judgeRedis,
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const config = await loadRedisConfig(source, context.files, problems);
    return { model: config, problems, sources: config.sources };
  },
};

export const redisFormats: FormatHandler<unknown>[] = [redisConf];
