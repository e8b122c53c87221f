import { redisModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import type { RedisConfig } from '../config';
import { assessRedis } from '../assess';

/** connect() on a unix socket needs write permission on it: o+w lets every local account in. */
const OTHERS_WRITE = 0o002;

export const unixSocketWorldWritable = defineCheck<RedisConfig>({
  rule: 'redis/unix-socket-world-writable',
  model: redisModel,
  run(config, report) {
    const socket = config.last('unixsocket');
    const perm = config.last('unixsocketperm');
    const value = perm?.args[0];
    if (!socket?.args[0] || !value || !/^[0-7]{1,4}$/.test(value.text)) return;
    // redis-server reads the value as octal (strtol base 8), with or without the leading 0.
    if ((parseInt(value.text, 8) & OTHERS_WRITE) === 0) return;
    const assessment = assessRedis(config);
    if (assessment.password || assessment.aclAuthentication) return;
    report(
      value.span,
      { perm: value.text, path: socket.args[0].text },
      {
        suggestions: [{ title: 'groupOnly', edits: [{ span: value.span, newText: '770' }] }],
        related: [{ span: socket.args[0].span, message: text('redis.socket-created-here') }],
      },
    );
  },
});
