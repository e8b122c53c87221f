import type { Check } from '../../../core/check';
import { rootLoginWithPassword } from './root-login-with-password';
import { passwordLoginFromInternet } from './password-login-from-internet';
import { matchAddressPublicRange } from './match-address-public-range';
import { stricterValueIgnored } from './stricter-value-ignored';
import { maxAuthTriesHigh } from './max-auth-tries-high';
import { legacyAlgorithms } from './legacy-algorithms';

export const sshdChecks: Check<unknown>[] = [
  rootLoginWithPassword,
  passwordLoginFromInternet,
  matchAddressPublicRange,
  stricterValueIgnored,
  maxAuthTriesHigh,
  legacyAlgorithms,
];
