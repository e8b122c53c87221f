import type { Check } from '../../../core/check';
import { hbaTrustAuth } from './hba-trust-auth';
import { hbaOpenToAnyAddress } from './hba-open-to-any-address';
import { hbaCleartextPassword } from './hba-cleartext-password';

export const pgChecks: Check<unknown>[] = [hbaTrustAuth, hbaOpenToAnyAddress, hbaCleartextPassword];
