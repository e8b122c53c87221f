import type { Check } from '../../../core/check';
import { servicePortPublic } from './service-port-public';
import { allowlistPublicOrMistypedRange } from './allowlist-public-or-mistyped-range';
import { restrictionShadowed } from './restriction-shadowed';
import { inputDefaultAccept } from './input-default-accept';
import { ipv6LeftOpen } from './ipv6-left-open';

export const iptablesChecks: Check<unknown>[] = [servicePortPublic, allowlistPublicOrMistypedRange, restrictionShadowed, inputDefaultAccept, ipv6LeftOpen];
