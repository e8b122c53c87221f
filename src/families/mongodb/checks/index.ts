import type { Check } from '../../../core/check';
import { exposedWithoutAuthorization } from './exposed-without-authorization';

export const mongodbChecks: Check<unknown>[] = [exposedWithoutAuthorization];
