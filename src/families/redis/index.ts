import { defineFamily } from '../../core/family';
import { redisFormats } from './formats';
import { redisChecks } from './checks';
import redisRules from '../../../rules/redis.json';
import redisTexts from '../../../rules/redis.texts.json';

/** The redis family: its formats, its checks and its part of the catalogue. */
export const redisFamily = defineFamily({
  id: 'redis',
  formats: [...redisFormats],
  checks: redisChecks,
  catalogue: [{ file: 'rules/redis.json', rules: redisRules, texts: redisTexts }],
});
