// Whether a Redis server lets clients in without a password: from redis.conf on its own, or from a container
// that runs redis-server (the official image's defaults, command-line options, a mounted redis.conf).
import { text } from '../../core/check';
import type { AuthEvidence, AuthVerdict, DatastoreInputs } from '../shared/datastore-auth';
import { truthy } from '../shared/datastore-auth';
import { majorVersion, parseImage } from '../shared/well-known';
import { type RedisAssessment, assessRedis, protectedModeShields } from './assess';
import { RedisConfig, directivesFromArguments } from './config';

export interface RedisAuthentication extends AuthVerdict {
  /** The effective settings (a container's command-line options apply after its file); unset when unknown. */
  assessment?: RedisAssessment;
}

/**
 * 'yes' when a passwordless server listens beyond loopback and protected mode does not shield it; 'version'
 * when protected mode shields it on Redis 7 and later only and `major` (the server's version) is unknown.
 */
function openness(assessment: RedisAssessment, major: number): AuthVerdict['open'] {
  if (!assessment.exposed || assessment.password || assessment.aclAuthentication) return 'no';
  const shields = protectedModeShields(assessment);
  if (shields === 'yes') return 'no';
  if (shields === 'no') return 'yes';
  return major < 7 ? 'yes' : major >= 7 ? 'no' : 'version';
}

/** Whether Redis asks clients for a password, from its redis.conf or from the container that runs it. */
export function redisAuthentication(inputs: DatastoreInputs<RedisConfig>): RedisAuthentication {
  if ('file' in inputs) {
    const assessment = assessRedis(inputs.file);
    const open = openness(assessment, NaN);
    const directive = assessment.protectedModeDirective;
    const evidence: AuthEvidence[] = open !== 'no' && directive ? [{ span: directive.span, reason: text('redis.protected-mode-set-here') }] : [];
    return { open, evidence, assessment };
  }
  const { container } = inputs;
  const mounted = container.mounted;
  if (mounted === 'unreadable') return { open: 'unknown', evidence: [] };
  const image = container.image ? parseImage(container.image.text) : undefined;
  // Other images (bitnami/redis, valkey, ...) have defaults of their own: only a mounted file tells.
  if (!mounted && !image?.official) return { open: 'unknown', evidence: [] };
  // The official image is built with protected mode off; options after the file override it.
  const config = (mounted ? mounted.config : new RedisConfig([], [])).withDirectives(directivesFromArguments([...container.command]));
  const assessment = assessRedis(config, { protectedMode: !image?.official });
  // REDIS_PASSWORD: the Bitnami image's password variable.
  const open = truthy(container.env('REDIS_PASSWORD')?.value) ? 'no' : openness(assessment, majorVersion(image));
  if (open === 'no') return { open, evidence: [], assessment };
  const evidence: AuthEvidence[] = [];
  if (mounted) {
    const where = assessment.protectedModeDirective ?? assessment.bind;
    const path = mounted.config.sources[0]?.path ?? '';
    if (where)
      evidence.push({
        span: where.span,
        reason: text('redis.file-sets-no-requirepass', {
          file: path.slice(path.lastIndexOf('/') + 1),
          setting: `${where.name} ${where.args.map((arg) => arg.text).join(' ')}`,
        }),
      });
    else evidence.push({ span: mounted.via.span, reason: text('redis.mounted-file-no-requirepass') });
  } else if (assessment.protectedModeDirective) evidence.push({ span: assessment.protectedModeDirective.span, reason: text('redis.command-line-no-password') });
  else if (container.image) evidence.push({ span: container.image.span, reason: text('redis.official-image-no-password') });
  return { open, evidence, assessment };
}
