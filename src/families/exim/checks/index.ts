import type { Check } from '../../../core/check';
import { relayHostsPublicRange } from './relay-hosts-public-range';
import { rcptAclOpenRelay } from './rcpt-acl-open-relay';
import { authWithoutTls } from './auth-without-tls';

export const eximChecks: Check<unknown>[] = [relayHostsPublicRange, rcptAclOpenRelay, authWithoutTls];
