import type { Check } from '../../../core/check';
import { statsPageExposed } from './stats-page-exposed';
import { runtimeApiExposed } from './runtime-api-exposed';
import { internalServiceExposed } from './internal-service-exposed';

export const haproxyChecks: Check<unknown>[] = [statsPageExposed, runtimeApiExposed, internalServiceExposed];
