// Admin screens of common CMSs and tools (rule catalogue 3.7): the paths a visitor requests and the names
// that give them away. Kept outside the checks: the web rules and Kubernetes Ingress rules both ask.
import { type TextRef, text } from '../../core/check';

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
  // The ISPConfig control panel: its interface folder (or the /var/www/ispconfig link to it), not the sites it hosts.
  { id: 'ispconfig', name: text('web.app.ispconfig'), probes: ['/ispconfig/'], marker: /(^|\/)ispconfig(\/interface(\/web)?)?\/?$/i },
  { id: 'admin', name: text('web.app.admin-screen'), probes: ['/admin/', '/admin'], marker: /(^|[^a-z])admin([^a-z]|$)/i },
];
