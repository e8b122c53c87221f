import type { Check } from '../../../core/check';
import { openProxy } from './open-proxy';
import { aclSrcMistypedRange } from './acl-src-mistyped-range';
import { connectAnyPort } from './connect-any-port';

export const squidChecks: Check<unknown>[] = [openProxy, aclSrcMistypedRange, connectAnyPort];
