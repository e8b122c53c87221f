import type { Check } from '../../../core/check';
import { relayFeatureEnabled } from './relay-feature-enabled';
import { accessRelayPublicRange } from './access-relay-public-range';
import { authPlaintextWithoutTls } from './auth-plaintext-without-tls';

export const sendmailChecks: Check<unknown>[] = [relayFeatureEnabled, accessRelayPublicRange, authPlaintextWithoutTls];
