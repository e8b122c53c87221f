// The request paths the web rules probe (rule catalogue 3.7): admin screens of common CMSs and tools,
// login and contact-form endpoints, and the names people give test, staging and old sites.

export { ADMIN_APPS, type AdminApp } from '../admin-apps';

/** Login and form endpoints whose abuse the notified cases describe (credential stuffing, contact-form spam). */
export const LOGIN_OR_FORM =
  /(wp-login\.php|xmlrpc\.php|(^|\/)(login|signin|sign_in|users\/sign_in|session|oauth\/token|api\/login|mypage\/login|contact|inquiry|toiawase|otoiawase|mailform)([/._-]|$))/i;

/** Host labels or path segments that name a test, staging, old or backup site (catalogue 4.36); the escapes are
 * the Japanese words for old (kyu), verification (kensho) and test (tesuto). */
export const LEGACY_OR_TEST =
  /(^|[./-])(test|testing|stg|stage|staging|dev|develop|old|bak|backup|tmp|temp|demo|sandbox|trial|legacy)([./-]|\d|$)|\u65e7|\u691c\u8a3c|\u30c6\u30b9\u30c8/i;

/** Names that never resolve on the internet (RFC 2606, RFC 6761, RFC 6762, RFC 8375). */
export const PRIVATE_HOST = /(^|\.)(test|localhost|local|example|invalid|internal|lan|home\.arpa|localdomain)\.?$|^(_|localhost)$/i;

/** A paths under a download area, where a listing is the point (catalogue 4.33). */
export const DOWNLOAD_AREA = /(^|\/)(pub|downloads?|mirrors?|files|dist|releases)(\/|$)/i;
