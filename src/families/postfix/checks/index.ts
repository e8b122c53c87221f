import type { Check } from '../../../core/check';
import { mynetworksPublicRange } from './mynetworks-public-range';
import { mynetworksHostBits } from './mynetworks-host-bits';
import { mynetworksStyleClass } from './mynetworks-style-class';
import { openRelayPermitBeforeReject } from './open-relay-permit-before-reject';
import { relayAccessMapBeforeReject } from './relay-access-map-before-reject';
import { saslAuthWithoutTls } from './sasl-auth-without-tls';
import { saslEnabledOnPort25 } from './sasl-enabled-on-port-25';
import { submissionNotAuthOnly } from './submission-not-auth-only';
import { relayCheckMissing } from './relay-check-missing';
import { authRateLimitMissing } from './auth-rate-limit-missing';

export const postfixChecks: Check<unknown>[] = [
  mynetworksPublicRange,
  mynetworksHostBits,
  mynetworksStyleClass,
  openRelayPermitBeforeReject,
  relayAccessMapBeforeReject,
  relayCheckMissing,
  saslAuthWithoutTls,
  saslEnabledOnPort25,
  submissionNotAuthOnly,
  authRateLimitMissing,
];
