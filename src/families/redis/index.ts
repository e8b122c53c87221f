import { defineFamily } from '../../core/family';
import { redisFormats } from './formats';
import type * as Checks from './checks';
import redisRules from '../../../rules/redis.json';
import redisTexts from '../../../rules/redis.texts.json';

/** The redis family: its formats, its checks and its part of the catalogue. */
export const redisFamily = defineFamily({
  id: 'redis',
  formats: [...redisFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).redisChecks,
  catalogue: [{ file: 'rules/redis.json', rules: redisRules, texts: redisTexts }],
});
