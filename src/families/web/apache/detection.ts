// Whether a file reads as Apache httpd configuration: its lines are directives httpd and its common modules
// define, or <Section> lines of the sections they define. A Maven pom.xml, a Visual Studio project or a
// Python module under an apache/ folder is none of these.
import { type ContentVerdict, contentLines, countShapes, looksLikeMarkup, verdictFromLines } from '../../../core/sniff';

/** Section names of httpd and its common modules (lower case). */
const SECTIONS = new Set(
  [
    'VirtualHost',
    'Directory',
    'DirectoryMatch',
    'Files',
    'FilesMatch',
    'Location',
    'LocationMatch',
    'IfModule',
    'IfDefine',
    'IfVersion',
    'IfFile',
    'IfDirective',
    'IfSection',
    'If',
    'ElseIf',
    'Else',
    'Proxy',
    'ProxyMatch',
    'Limit',
    'LimitExcept',
    'RequireAll',
    'RequireAny',
    'RequireNone',
    'AuthnProviderAlias',
    'AuthzProviderAlias',
    'Macro',
    'MDomain',
    'MDomainSet',
    'Perl',
  ].map((name) => name.toLowerCase()),
);

/** Directives of httpd's core, its MPMs and widely used modules (lower case). */
const DIRECTIVES = new Set(
  `AcceptFilter AcceptPathInfo AccessFileName Action AddAlt AddCharset AddDefaultCharset AddDescription AddEncoding AddHandler
  AddIcon AddIconByEncoding AddIconByType AddInputFilter AddLanguage AddOutputFilter AddOutputFilterByType AddType Alias
  AliasMatch Allow AllowCONNECT AllowEncodedSlashes AllowMethods AllowOverride AllowOverrideList Anonymous AsyncRequestWorkerFactor
  AuthBasicAuthoritative AuthBasicProvider AuthDBMGroupFile AuthDBMUserFile AuthDigestDomain AuthDigestProvider AuthGroupFile
  AuthLDAPBindDN AuthLDAPBindPassword AuthLDAPGroupAttribute AuthLDAPURL AuthMerging AuthName AuthType AuthUserFile
  AuthzGroupFileAuthoritative BrowserMatch BrowserMatchNoCase CacheDefaultExpire CacheDisable CacheEnable CacheIgnoreHeaders
  CacheRoot CGIPassAuth CharsetDefault CharsetSourceEnc CoreDumpDirectory CustomLog DAV DavLockDB DefaultIcon DefaultLanguage
  DefaultRuntimeDir DefaultType Define DeflateCompressionLevel Deny DirectoryCheckHandler DirectoryIndex DirectorySlash
  DocumentRoot EnableExceptionHook EnableMMAP EnableSendfile Error ErrorDocument ErrorLog ErrorLogFormat ExpiresActive
  ExpiresByType ExpiresDefault ExtendedStatus FallbackResource FcgidConnectTimeout FcgidIOTimeout FcgidMaxRequestLen
  FcgidWrapper FCGIWrapper FileETag ForceType GracefulShutdownTimeout Group H2Direct H2Push Header HeaderName HostnameLookups
  HttpProtocolOptions Include IncludeOptional IndexIgnore IndexOptions IndexOrderDefault IndexStyleSheet IPCCommTimeout
  KeepAlive KeepAliveTimeout LanguagePriority LimitInternalRecursion LimitRequestBody LimitRequestFields LimitRequestFieldSize
  LimitRequestLine Listen ListenBacklog LoadFile LoadModule LogFormat LogLevel MaxClients MaxConnectionsPerChild
  MaxKeepAliveRequests MaxMemFree MaxRequestLen MaxRequestWorkers MaxSpareServers MaxSpareThreads MDCertificateAgreement
  MDomain MergeSlashes MimeMagicFile MinSpareServers MinSpareThreads Mutex NameVirtualHost NoProxy Options Order PassEnv
  php_admin_flag php_admin_value php_flag php_value PidFile Protocols ProxyAddHeaders ProxyErrorOverride ProxyHTMLEnable
  ProxyPass ProxyPassMatch ProxyPassReverse ProxyPassReverseCookieDomain ProxyPassReverseCookiePath ProxyPreserveHost
  ProxyRequests ProxySet ProxyTimeout ProxyVia ReadmeName Redirect RedirectMatch RedirectPermanent RedirectTemp
  RemoteIPHeader RemoteIPInternalProxy RemoteIPProxiesHeader RemoteIPTrustedProxy RemoveHandler RemoveType RequestHeader
  RequestReadTimeout Require RewriteBase RewriteCond RewriteEngine RewriteMap RewriteOptions RewriteRule Satisfy ScriptAlias
  ScriptAliasMatch ScriptSock SecRuleEngine SecRuleRemoveById ServerAdmin ServerAlias ServerLimit ServerName ServerPath
  ServerRoot ServerSignature ServerTokens SetEnv SetEnvIf SetEnvIfExpr SetEnvIfNoCase SetHandler SetInputFilter
  SetOutputFilter SSLCACertificateFile SSLCACertificatePath SSLCARevocationFile SSLCertificateChainFile SSLCertificateFile
  SSLCertificateKeyFile SSLCipherSuite SSLCompression SSLEngine SSLHonorCipherOrder SSLOpenSSLConfCmd SSLOptions
  SSLPassPhraseDialog SSLProtocol SSLProxyCheckPeerCN SSLProxyCheckPeerName SSLProxyEngine SSLProxyVerify SSLRandomSeed
  SSLSessionCache SSLSessionCacheTimeout SSLSessionTickets SSLStaplingCache SSLStrictSNIVHostCheck SSLUseStapling
  SSLVerifyClient SSLVerifyDepth StartServers StartThreads SuexecUserGroup ThreadLimit ThreadsPerChild ThreadStackSize
  Timeout TraceEnable TypesConfig UnDefine UndefMacro UnsetEnv Use UseCanonicalName UseCanonicalPhysicalPort User UserDir
  WSGIApplicationGroup WSGIDaemonProcess WSGIPassAuthorization WSGIProcessGroup WSGIScriptAlias XSendFile XSendFilePath`
    .split(/\s+/)
    .map((name) => name.toLowerCase()),
);

/**
 * 'fits' when most lines are httpd directives or sections and one is a directive or section httpd defines;
 * 'contradicts' for XML and markup, or lines of other syntaxes (nginx's `;` and `{`, `key = value`, YAML).
 */
export function judgeApache(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let known = 0;
  let shaped = 0;
  let continued = false;
  for (const line of lines) {
    const text = line.text;
    const continuation = continued;
    continued = text.endsWith('\\');
    if (continuation) {
      shaped++;
      continue;
    }
    const section = /^<\/?([A-Za-z]+)(\s[^>]*)?>$/.exec(text);
    if (section) {
      if (SECTIONS.has(section[1]!.toLowerCase())) {
        known++;
        shaped++;
      }
      continue;
    }
    const name = /^[A-Za-z][\w-]*/.exec(text)?.[0];
    if (name && DIRECTIVES.has(name.toLowerCase())) {
      known++;
      shaped++;
    } else if (name && /^[A-Z]/.test(name) && /^[A-Za-z][\w-]*(\s|$)/.test(text)) {
      // A module's own directive (CamelCase, like every httpd directive): shaped, not known.
      shaped++;
    }
  }
  const verdict = verdictFromLines(shaped, known, lines.length, 0.75, countShapes(lines, ['ini-section', 'semicolon', 'brace', 'assign', 'yaml']));
  // Capitalised words are also how prose starts: a fit needs a good share of directives httpd defines.
  if (verdict === 'fits' && known < 0.4 * lines.length) return 'unclear';
  return verdict;
}
