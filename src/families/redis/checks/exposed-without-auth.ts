import { redisModel } from '../formats';
import { type FixSpec, type RelatedSpec, defineCheck, text } from '../../../core/check';
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
    // The finding sits on the line the user must change: `protected-mode no` when it switched the shield off
    // (the listening addresses are then related); the bind line when protected mode is on but Redis 6 and
    // earlier ignore it because bind is set.
    const protectedOff = verdict.open === 'yes' && protectedModeDirective !== undefined && !assessment.protectedMode;
    const protectedSpan = protectedModeDirective?.args[0]?.span ?? protectedModeDirective?.span;
    const anchor = protectedOff ? protectedSpan : (assessment.exposedAddresses[0]?.span ?? protectedSpan);
    if (!anchor) return;
    const suggestions: FixSpec[] = [];
    if (bind?.args.length)
      suggestions.push({
        title: 'bindLoopback',
        edits: [{ span: { ...bind.args[0]!.span, end: bind.args[bind.args.length - 1]!.span.end }, newText: '127.0.0.1 -::1' }],
      });
    if (protectedModeDirective?.args[0] && !assessment.protectedMode)
      suggestions.push({ title: 'protectedMode', edits: [{ span: protectedModeDirective.args[0].span, newText: 'yes' }] });
    const related: RelatedSpec[] = [];
    if (protectedOff && bind && assessment.exposedAddresses[0])
      related.push({
        span: assessment.exposedAddresses[0].span,
        message: text('redis.listens-beyond-loopback', { address: assessment.exposedAddresses[0].text }),
      });
    else if (!protectedOff && protectedModeDirective && protectedSpan) related.push({ span: protectedSpan, message: text('redis.protected-mode-set-here') });
    report(
      anchor,
      {
        listen: bind ? bind.args.map((arg) => arg.text).join(' ') : text('redis.listen-every-interface'),
        state: verdict.open === 'yes' ? text('redis.protected-mode-off') : text('redis.protected-mode-version'),
      },
      { severity: verdict.open === 'yes' ? 'error' : 'warning', suggestions, related },
    );
  },
});
