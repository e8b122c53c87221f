import { modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type ContentVerdict, contentLines, verdictFromLines } from '../../core/sniff';
import type { DovecotConfig } from './model';
import type * as Load from './load';
import { affixedName, underFolder } from '../shared/paths';

export { DovecotConfig } from './model';

/** Files beside dovecot.conf that hold a passdb/userdb driver's own settings, not dovecot.conf syntax. */
const DRIVER_FILES = /^dovecot-(sql|ldap|dict-\w|oauth2)[\w.-]*\.conf(\.ext)?$/;

/** Lines only a Dovecot configuration writes. */
const ANCHOR =
  /^(disable_plaintext_auth|auth_allow_cleartext|auth_[a-z_]+ *=|login_trusted_networks|mail_location|mail_privileged_group|(passdb|userdb)( \S+)? *\{|service [\w-]+-login *\{|protocol (imap|pop3|lmtp|lda|submission|sieve) *\{|namespace [\w-]+ *\{|ssl_(cert|key|ca|dh) *= *<|!include(_try)? )/;
/** The shapes of dovecot.conf lines: `key = value`, `type [name] {`, `}`, `!include`. */
const SHAPE = /^([\w.-]+ *=|!include(_try)?[ \t]|[\w-]+([ \t]+("[^"]*"|[^\s{]+))?[ \t]*\{$|\}$)/;

function judgeDovecot(head: string): ContentVerdict {
  const lines = contentLines(head);
  const good = lines.filter((line) => SHAPE.test(line.text)).length;
  const anchors = lines.filter((line) => ANCHOR.test(line.text)).length;
  // conf.d files are short (Debian's 10-auth.conf has two settings): one mistyped line must not hide the file.
  return verdictFromLines(good, anchors, lines.length, 0.6);
}

/** The dovecot model: what this family's loader produces and its checks read. */
export const dovecotModel = modelKey<DovecotConfig>('dovecot');

export const dovecotConf: FormatHandler<DovecotConfig> = {
  id: 'dovecot-conf',
  model: dovecotModel,
  label: text('dovecot.label'),
  commentPrefix: '#',
  // dovecot.conf and copies named after it (dovecot-local.conf, debian-dovecot.conf).
  detectByName: (_path, baseName) => !DRIVER_FILES.test(baseName) && affixedName(baseName, 'dovecot', '.conf'),
  // The numbered files of conf.d (10-auth.conf, auth-system.conf.ext) under a dovecot folder.
  detectByFolder: (path, baseName) => !DRIVER_FILES.test(baseName) && /\.conf(\.ext)?$/.test(baseName) && underFolder(path, 'dovecot'),
  detectByContent: (head) => judgeDovecot(head) === 'fits' && (head.match(new RegExp(ANCHOR.source, 'gm'))?.length ?? 0) >= 2,
  judgeContent: judgeDovecot,
  async load(source, context) {
    const problems: ParseProblem[] = [];
    // The reader is loaded with the first dovecot.conf, not at start-up (issue 16).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = await (require('./load') as typeof Load).loadDovecot(source, context.files, problems);
    return { model: config, problems, sources: [...config.sources] };
  },
};

export const dovecotFormats: FormatHandler<unknown>[] = [dovecotConf];
