import type { Check } from '../../../core/check';
import { servicePortPublic } from './service-port-public';
import { allowlistPublicOrMistypedRange } from './allowlist-public-or-mistyped-range';
import { trustedZoneBoundToPublicSources } from './trusted-zone-bound-to-public-sources';
import { inputDefaultAccept } from './input-default-accept';

export const firewalldChecks: Check<unknown>[] = [servicePortPublic, allowlistPublicOrMistypedRange, trustedZoneBoundToPublicSources, inputDefaultAccept];
