// The request paths the web rules probe (rule catalogue 3.7): admin screens of common CMSs and tools,
// login and contact-form endpoints, and the names people give test, staging and old sites.
import { type TextRef, text } from '../../../core/check';

export interface AdminApp {
  /** Stable name for code that singles an application out (the catch-all `admin` screen). */
  id: string;
  /** The application's name as findings show it. */
  name: TextRef;
  /** Paths a visitor would request; the first is the one findings name. */
  probes: string[];
  /** Evidence that a location, root, upstream or host name is this application. */
  marker: RegExp;
}

export const ADMIN_APPS: readonly AdminApp[] = [
  {
    id: 'wordpress',
    name: text('web.app.wordpress'),
    probes: ['/wp-admin/', '/wp-admin/index.php', '/wp-login.php', '/xmlrpc.php'],
    marker: /wp-admin|wp-login|wordpress/i,
  },
  { id: 'joomla', name: text('web.app.joomla'), probes: ['/administrator/', '/administrator/index.php'], marker: /administrator|joomla/i },
  {
    id: 'phpmyadmin',
    name: text('web.app.phpmyadmin'),
    probes: ['/phpmyadmin/', '/phpmyadmin/index.php', '/pma/'],
    marker: /phpmyadmin|(^|[^a-z])pma([^a-z]|$)/i,
  },
  { id: 'phppgadmin', name: text('web.app.phppgadmin'), probes: ['/phppgadmin/'], marker: /phppgadmin/i },
  { id: 'adminer', name: text('web.app.adminer'), probes: ['/adminer.php', '/adminer/'], marker: /adminer/i },
  {
    id: 'tomcat-manager',
    name: text('web.app.tomcat-manager'),
    probes: ['/manager/html', '/host-manager/html'],
    marker: /(^|\/)(host-)?manager(\/|$)|tomcat/i,
  },
  { id: 'movable-type', name: text('web.app.movable-type'), probes: ['/mt/mt.cgi'], marker: /mt\.cgi|movabletype/i },
  { id: 'iredadmin', name: text('web.app.iredadmin'), probes: ['/iredadmin/'], marker: /iredadmin/i },
  { id: 'admin', name: text('web.app.admin-screen'), probes: ['/admin/', '/admin'], marker: /(^|[^a-z])admin([^a-z]|$)/i },
];

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
