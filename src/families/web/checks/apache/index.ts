import type { Check } from '../../../../core/check';
import { accessCheckBypassedApache } from './access-check-bypassed';
import { adminPathUnrestrictedApache } from './admin-path-unrestricted';
import { allowlistPublicOrMistypedRangeApache } from './allowlist-public-or-mistyped-range';
import { directoryListingEnabledApache } from './directory-listing-enabled';
import { legacyOrTestSiteExposedApache } from './legacy-or-test-site-exposed';
import { realipTrustsAnyProxyApache } from './realip-trusts-any-proxy';
import { sensitiveFilesNotDeniedApache } from './sensitive-files-not-denied';
import { serverVersionDisclosureApache } from './server-version-disclosure';

/** The Apache halves of the web/ rules (one file per rule, named after it). */
export const apacheChecks: Check<unknown>[] = [
  adminPathUnrestrictedApache,
  accessCheckBypassedApache,
  realipTrustsAnyProxyApache,
  allowlistPublicOrMistypedRangeApache,
  directoryListingEnabledApache,
  sensitiveFilesNotDeniedApache,
  legacyOrTestSiteExposedApache,
  serverVersionDisclosureApache,
];
