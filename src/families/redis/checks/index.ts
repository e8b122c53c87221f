import type { Check } from '../../../core/check';
import { exposedWithoutAuth } from './exposed-without-auth';
import { weakRequirepass } from './weak-requirepass';
import { unixSocketWorldWritable } from './unix-socket-world-writable';

export const redisChecks: Check<unknown>[] = [exposedWithoutAuth, weakRequirepass, unixSocketWorldWritable];
