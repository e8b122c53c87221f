import { redisModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import type { RedisConfig } from '../config';
import { assessRedis, weakRedisPassword } from '../assess';

export const weakRequirepass = defineCheck<RedisConfig>({
  rule: 'redis/weak-requirepass',
  model: redisModel,
  run(config, report) {
    const assessment = assessRedis(config);
    const password = assessment.password;
    if (!assessment.exposed || !password || !weakRedisPassword(password.text)) return;
    report(password.span, {
      reason: password.text === 'foobared' ? text('redis.sample-password') : text('redis.password-too-short', { length: password.text.length }),
    });
  },
});
