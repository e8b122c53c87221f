import { redisModel } from '../formats';
import { defineCheck, type FixSpec } from '../../../core/check';
import type { RedisConfig } from '../config';
import { assessRedis, protectedModeShields } from '../assess';

export const exposedWithoutAuth = defineCheck<RedisConfig>({
  rule: 'redis/exposed-without-auth',
  model: redisModel,
  run(config, report) {
    const assessment = assessRedis(config);
    if (!assessment.exposed || assessment.password || assessment.aclAuthentication) return;
    const shields = protectedModeShields(assessment);
    if (shields === 'yes') return;
    const { bind, protectedModeDirective } = assessment;
    const anchor = assessment.exposedAddresses[0]?.span ?? protectedModeDirective?.args[0]?.span ?? protectedModeDirective?.span;
    if (!anchor) return;
    const suggestions: FixSpec[] = [];
    if (bind?.args.length) suggestions.push({ title: 'bindLoopback', edits: [{ span: { ...bind.args[0]!.span, end: bind.args[bind.args.length - 1]!.span.end }, newText: '127.0.0.1 -::1' }] });
    if (protectedModeDirective?.args[0] && !assessment.protectedMode) suggestions.push({ title: 'protectedMode', edits: [{ span: protectedModeDirective.args[0].span, newText: 'yes' }] });
    report(
      anchor,
      {
        listen: bind ? bind.args.map((arg) => arg.text).join(' ') : { en: 'every interface (no bind line)', ja: 'すべてのインターフェース（bind 行なし）' },
        state:
          shields === 'no'
            ? { en: 'protected mode is off', ja: 'protected-mode が無効です' }
            : {
                en: 'protected mode is on, but Redis 6 and earlier ignore it when bind is set (only Redis 7 and later refuse remote clients of a passwordless default user)',
                ja: 'protected-mode は有効ですが、Redis 6 以前は bind 指定時に protected-mode を適用しません（パスワードのない default ユーザへの外部接続を拒否するのは Redis 7 以降のみ）',
              },
      },
      {
        severity: shields === 'no' ? 'error' : 'warning',
        suggestions,
        related: bind && protectedModeDirective && anchor !== protectedModeDirective.args[0]?.span
          ? [{ span: protectedModeDirective.span, message: { en: 'protected mode is set here', ja: 'protected-mode はここで設定されています' } }]
          : [],
      },
    );
  },
});
