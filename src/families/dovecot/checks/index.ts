import type { Check } from '../../../core/check';
import { plaintextAuthWithoutTls } from './plaintext-auth-without-tls';
import { trustedNetworksPublicRange } from './trusted-networks-public-range';
import { authFailureDelayDisabled } from './auth-failure-delay-disabled';

export const dovecotChecks: Check<unknown>[] = [plaintextAuthWithoutTls, trustedNetworksPublicRange, authFailureDelayDisabled];
