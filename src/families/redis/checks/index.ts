import type { Check } from '../../../core/check';
import { exposedWithoutAuth } from './exposed-without-auth';
import { weakRequirepass } from './weak-requirepass';

export const redisChecks: Check<unknown>[] = [exposedWithoutAuth, weakRequirepass];
