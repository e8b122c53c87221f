import { redisModel } from '../formats';
import { defineCheck } from '../../../core/check';
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
      reason:
        password.text === 'foobared'
          ? { en: 'it is the sample password from redis.conf', ja: 'redis.conf のコメントにある例のパスワードです' }
          : { en: `it has only ${password.text.length} characters`, ja: `${password.text.length} 文字しかありません` },
    });
  },
});
