import type { Check } from '../../../core/check';
import { exposedWithoutSecurity } from './exposed-without-security';

export const elasticsearchChecks: Check<unknown>[] = [exposedWithoutSecurity];
