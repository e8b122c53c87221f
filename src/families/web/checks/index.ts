// Every web-server check. One file per rule id, named after it (its nginx and Apache halves side by side);
// helpers the rules share are in ./support and ./paths.
import type { Check } from '../../../core/check';
import { accessCheckBypassedApache, accessCheckBypassedNginx } from './access-check-bypassed';
import { adminPathUnrestrictedApache, adminPathUnrestrictedNginx } from './admin-path-unrestricted';
import { adminRestrictionBypassedByRegexLocation } from './admin-restriction-bypassed-by-regex-location';
import { aliasTraversal } from './alias-traversal';
import { allowWithoutDeny } from './allow-without-deny';
import { basicAuthOverPlainHttpNginx } from './basic-auth-over-plain-http';
import { installerOrDebugEndpointExposedApache, installerOrDebugEndpointExposedNginx } from './installer-or-debug-endpoint-exposed';
import { allowlistPublicOrMistypedRangeApache, allowlistPublicOrMistypedRangeNginx } from './allowlist-public-or-mistyped-range';
import { directoryListingEnabledApache, directoryListingEnabledNginx } from './directory-listing-enabled';
import { legacyOrTestSiteExposedApache, legacyOrTestSiteExposedNginx } from './legacy-or-test-site-exposed';
import { rateLimitMissingOnLoginNginx } from './rate-limit-missing-on-login';
import { realipTrustsAnyProxyApache, realipTrustsAnyProxyNginx } from './realip-trusts-any-proxy';
import { securityHeadersDroppedNginx } from './security-headers-dropped';
import { sensitiveFilesNotDeniedApache, sensitiveFilesNotDeniedNginx } from './sensitive-files-not-denied';
import { serverVersionDisclosureApache, serverVersionDisclosureNginx } from './server-version-disclosure';

/** The nginx-only rules, then the web/ rules for nginx, then their Apache halves (the order checks run in). */
export const webChecks: Check<unknown>[] = [
  // nginx/* (nginx only)
  adminRestrictionBypassedByRegexLocation,
  allowWithoutDeny,
  aliasTraversal,
  // web/*, nginx
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
  basicAuthOverPlainHttpNginx,
  installerOrDebugEndpointExposedNginx,
  // web/*, Apache
  adminPathUnrestrictedApache,
  accessCheckBypassedApache,
  realipTrustsAnyProxyApache,
  allowlistPublicOrMistypedRangeApache,
  directoryListingEnabledApache,
  sensitiveFilesNotDeniedApache,
  legacyOrTestSiteExposedApache,
  serverVersionDisclosureApache,
  installerOrDebugEndpointExposedApache,
];
