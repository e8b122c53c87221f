import type { Check } from '../../../core/check';
import { apacheChecks } from './apache';
import { nginxChecks } from './nginx';
import { accessCheckBypassedNginx } from './access-check-bypassed';
import { adminPathUnrestrictedNginx } from './admin-path-unrestricted';
import { allowlistPublicOrMistypedRangeNginx } from './allowlist-public-or-mistyped-range';
import { directoryListingEnabledNginx } from './directory-listing-enabled';
import { legacyOrTestSiteExposedNginx } from './legacy-or-test-site-exposed';
import { rateLimitMissingOnLoginNginx } from './rate-limit-missing-on-login';
import { realipTrustsAnyProxyNginx } from './realip-trusts-any-proxy';
import { securityHeadersDroppedNginx } from './security-headers-dropped';
import { sensitiveFilesNotDeniedNginx } from './sensitive-files-not-denied';
import { serverVersionDisclosureNginx } from './server-version-disclosure';

/** Every web-server check: the nginx-only rules, the shared web/ rules for nginx here, and their Apache halves. */
export const webChecks: Check<unknown>[] = [
  ...nginxChecks,
  adminPathUnrestrictedNginx,
  accessCheckBypassedNginx,
  realipTrustsAnyProxyNginx,
  allowlistPublicOrMistypedRangeNginx,
  directoryListingEnabledNginx,
  sensitiveFilesNotDeniedNginx,
  legacyOrTestSiteExposedNginx,
  rateLimitMissingOnLoginNginx,
  securityHeadersDroppedNginx,
  serverVersionDisclosureNginx,
  ...apacheChecks,
];
