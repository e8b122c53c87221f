import { modelKey, text } from '../../core/check';
import type { FormatHandler, LoadContext, Loaded } from '../../core/format';
import type { SourceText } from '../../core/source';
import { basename, dirname, joinPath, readReferenced, readSource } from '../shared/paths';
import { parseAccess, parseClassFile } from './access';
import { type McFile, parseMc } from './mc';
import { SendmailConfig } from './model';
import { judgeAccess, judgeClassFile, judgeMc } from './sniff';

const MAX_INCLUDES = 8;

/** The .mc with the .m4 files it includes from /etc/mail (Debian's sasl.m4, tls.m4, …), when in sight. */
async function readMc(source: SourceText, context: LoadContext): Promise<McFile[]> {
  const files = [parseMc(source)];
  for (let index = 0; index < files.length && files.length <= MAX_INCLUDES; index++)
    for (const call of files[index]!.calls) {
      if ((call.name !== 'include' && call.name !== 'sinclude') || !call.args[0]) continue;
      const path = call.args[0].value.trim();
      if (!path.startsWith('/etc/mail/')) continue;
      const included = await readReferenced(context.files, path, dirname(source.path), '/etc/mail');
      if (included && !files.some((file) => file.source.path === included.path)) files.push(parseMc(included));
    }
  return files;
}

/** The access map's text source named by FEATURE(`access_db', `hash … /etc/mail/access'). */
function accessPath(mc: McFile[]): string {
  const feature = mc.flatMap((file) => file.calls).find((call) => call.name === 'FEATURE' && call.args[0]?.value.trim() === 'access_db');
  const words =
    feature?.args[1]?.value
      .trim()
      .split(/\s+/)
      .filter((word) => word.startsWith('/')) ?? [];
  return words[words.length - 1] ?? '/etc/mail/access';
}

async function load(source: SourceText, context: LoadContext, kind: 'mc' | 'access' | 'relay-domains'): Promise<Loaded<SendmailConfig>> {
  const folder = dirname(source.path);
  const mcSource = kind === 'mc' ? source : await readSource(context.files, joinPath(folder, 'sendmail.mc'));
  const mc = mcSource ? await readMc(mcSource, context) : [];
  // submit.mc configures the message submission program, which reads no access map.
  const msp = kind === 'mc' && /submit\.mc$/.test(basename(source.path));
  const accessSource = kind === 'access' ? source : msp ? undefined : await readReferenced(context.files, accessPath(mc), folder, '/etc/mail');
  const relaySource = kind === 'relay-domains' ? source : msp ? undefined : await readSource(context.files, joinPath(folder, 'relay-domains'));
  const sources = [
    source,
    ...[...mc.map((file) => file.source), accessSource, relaySource].filter((other): other is SourceText => other !== undefined && other !== source),
  ];
  const config = new SendmailConfig(mc, accessSource ? parseAccess(accessSource) : undefined, relaySource ? parseClassFile(relaySource) : undefined, sources);
  return { model: config, problems: [], sources };
}

export const sendmailModel = modelKey<SendmailConfig>('sendmail');

const MC_CONTENT = /^[^\S\r\n\u2028\u2029]*(OSTYPE|DOMAIN|FEATURE|MAILER|DAEMON_OPTIONS)\(`?\w/m;

export const sendmailMc: FormatHandler<SendmailConfig> = {
  id: 'sendmail-mc',
  model: sendmailModel,
  label: text('sendmail.label-mc'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => /(^|[-_.])(sendmail|submit)\.mc$/.test(baseName),
  detectByContent: (head) => MC_CONTENT.test(head) && /^[^\S\r\n\u2028\u2029]*(include\(`[^']*cf\.m4'\)|OSTYPE\(`?\w)/m.test(head),
  judgeContent: judgeMc,
  load: (source, context) => load(source, context, 'mc'),
};

export const sendmailAccess: FormatHandler<SendmailConfig> = {
  id: 'sendmail-access',
  model: sendmailModel,
  label: text('sendmail.label-access'),
  commentPrefix: '#',
  detectByName: (path, baseName) => baseName === 'access' && /(^|\/)mail\/access$/.test(path),
  judgeContent: judgeAccess,
  load: (source, context) => load(source, context, 'access'),
};

export const sendmailRelayDomains: FormatHandler<SendmailConfig> = {
  id: 'sendmail-relay-domains',
  model: sendmailModel,
  label: text('sendmail.label-relay-domains'),
  commentPrefix: '#',
  detectByName: (path, baseName) => baseName === 'relay-domains' && /(^|\/)mail\/relay-domains$/.test(path),
  judgeContent: judgeClassFile,
  load: (source, context) => load(source, context, 'relay-domains'),
};

export const sendmailFormats: FormatHandler<unknown>[] = [sendmailMc, sendmailAccess, sendmailRelayDomains];
