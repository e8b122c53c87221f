import { redisModel } from '../formats';
import { defineCheck, type FixSpec, text } from '../../../core/check';
import type { RedisConfig } from '../config';
import { redisAuthentication } from '../auth';

export const exposedWithoutAuth = defineCheck<RedisConfig>({
  rule: 'redis/exposed-without-auth',
  model: redisModel,
  run(config, report) {
    const verdict = redisAuthentication({ file: config });
    const assessment = verdict.assessment;
    if (!assessment || (verdict.open !== 'yes' && verdict.open !== 'version')) return;
    const { bind, protectedModeDirective } = assessment;
    const anchor = assessment.exposedAddresses[0]?.span ?? protectedModeDirective?.args[0]?.span ?? protectedModeDirective?.span;
    if (!anchor) return;
    const suggestions: FixSpec[] = [];
    if (bind?.args.length)
      suggestions.push({
        title: 'bindLoopback',
        edits: [{ span: { ...bind.args[0]!.span, end: bind.args[bind.args.length - 1]!.span.end }, newText: '127.0.0.1 -::1' }],
      });
    if (protectedModeDirective?.args[0] && !assessment.protectedMode)
      suggestions.push({ title: 'protectedMode', edits: [{ span: protectedModeDirective.args[0].span, newText: 'yes' }] });
    report(
      anchor,
      {
        listen: bind ? bind.args.map((arg) => arg.text).join(' ') : text('redis.listen-every-interface'),
        state: verdict.open === 'yes' ? text('redis.protected-mode-off') : text('redis.protected-mode-version'),
      },
      {
        severity: verdict.open === 'yes' ? 'error' : 'warning',
        suggestions,
        // Without a bind line the finding is on the protected-mode line itself.
        related: bind ? verdict.evidence.map(({ span, reason }) => ({ span, message: reason })) : [],
      },
    );
  },
});
