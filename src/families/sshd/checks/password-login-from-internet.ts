import { type EditSpec, type RelatedSpec, defineCheck, text } from '../../../core/check';
import type { Severity, Span } from '../../../core/types';
import { sshdModel } from '../formats';
import type { SshdConfig } from '../model';
import { contextsOf } from '../contexts';
import { passwordLogin, relaxation, rootPasswordLogin } from '../login';
import { type Directive, valueSpan } from '../options';
import { defaultAnchor, placeIn, replaceValue, scopeOf, setGlobally } from './support';
import { exposedPort } from '../firewall';
import { basename } from '../../shared/paths';

export const ROOT_USER = { name: 'root', groups: ['root'] } as const;
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const KEYWORD = { passwordauthentication: 'PasswordAuthentication', kbdinteractiveauthentication: 'KbdInteractiveAuthentication' } as const;

/** Whether a directive is read for every client (outside Match blocks, or in `Match All`). */
export function inGlobalScope(config: SshdConfig, directive: Directive): boolean {
  const occurrence = config.occurrences.find((candidate) => candidate.directive === directive);
  return occurrence !== undefined && (!occurrence.block || occurrence.block.condition.all);
}

interface Pending {
  span: Span;
  severity: Severity;
  data: Record<string, ReturnType<typeof text> | string>;
  related: RelatedSpec[];
  edits?: EditSpec[];
}

export const passwordLoginFromInternet = defineCheck({
  rule: 'sshd/password-login-from-internet',
  model: sshdModel,
  run(config, report, context) {
    const rootContexts = contextsOf(config, context.trusted, ROOT_USER);
    const contexts = contextsOf(config, context.trusted);
    const global = contexts.find((candidate) => !candidate.block)?.effective ?? config.evaluate();
    const pending = new Map<string, Pending>();
    for (const current of contexts) {
      if (!current.public) continue;
      const login = passwordLogin(current.effective);
      if (!login.possible || !login.field) continue;
      // A Match Address block that opens logins to public ranges is sshd/match-address-public-range's finding.
      if (current.block?.condition.criteria.some((criterion) => criterion.attribute === 'address') && relaxation(current.effective, global)) continue;
      const root = rootContexts.find((candidate) => candidate.block === current.block && candidate.public);
      const rootMay = root !== undefined && rootPasswordLogin(root.effective, root.client);
      const empty = current.effective.get('permitemptypasswords');
      const emptyAllowed = empty.value === 'yes';
      const firewall = exposedPort(config.firewalls, (config.global.get('port')?.value as readonly number[] | undefined) ?? [22], context.trusted);
      const severity: Severity = emptyAllowed ? 'error' : rootMay || firewall ? 'warning' : 'info';
      const directive = login.setting?.directive;
      const keyword = KEYWORD[login.field];
      const anchor = directive
        ? valueSpan(directive)
        : defaultAnchor(config, login.field === 'passwordauthentication' ? [keyword] : [keyword, 'ChallengeResponseAuthentication']);
      const placed = placeIn(config, anchor, text('sshd.related-password-set-here', { keyword }));
      if (!placed) continue;
      const key = `${placed.span.file}:${placed.span.start}:${placed.span.end}`;
      const related = [...placed.related];
      if (emptyAllowed && empty.directive) related.push({ span: valueSpan(empty.directive), message: text('sshd.related-empty-passwords') });
      const rootSetting = root?.effective.get('permitrootlogin').directive;
      if (rootMay && rootSetting) related.push({ span: valueSpan(rootSetting), message: text('sshd.related-root-login') });
      if (firewall?.span) related.push({ span: firewall.span, message: text('sshd.related-firewall-accepts', { port: firewall.port }) });
      const aggravation = emptyAllowed
        ? text('sshd.aggravation-empty')
        : rootMay
          ? text('sshd.aggravation-root')
          : firewall
            ? text('sshd.aggravation-firewall', { file: basename(firewall.file), port: firewall.port })
            : '';
      const edits = current.block ? undefined : switchOffPasswords(config, current.effective);
      const entry = pending.get(key);
      if (!entry) {
        pending.set(key, {
          span: placed.span,
          severity,
          data: {
            scope: scopeOf(config, current),
            method: login.via === 'password' ? text('sshd.method-password') : text('sshd.method-keyboard'),
            origin: directive ? '' : text('sshd.origin-default', { keyword }),
            aggravation,
          },
          related,
          ...(edits ? { edits } : {}),
        });
      } else if (RANK[severity] > RANK[entry.severity]) {
        entry.severity = severity;
        entry.data.aggravation = aggravation;
        entry.related.push(
          ...related.filter((item) => !entry.related.some((known) => known.span.start === item.span.start && known.span.file === item.span.file)),
        );
      }
    }
    for (const entry of pending.values())
      report(entry.span, entry.data, {
        severity: entry.severity,
        related: entry.related,
        ...(entry.edits ? { suggestions: [{ title: 'disablePasswords', edits: entry.edits }] } : {}),
      });
  },
});

/**
 * Edits that leave no password prompt for clients matching no Match block: PasswordAuthentication and, when
 * PAM would ask for one, KbdInteractiveAuthentication set to `no` where they are written, or added.
 * Undefined when a value comes from a Match block (that block's purpose is for a person to judge).
 */
function switchOffPasswords(config: SshdConfig, effective: ReturnType<SshdConfig['evaluate']>): EditSpec[] | undefined {
  const edits: EditSpec[] = [];
  const usePam = effective.value('usepam') === 'yes';
  for (const field of ['passwordauthentication', 'kbdinteractiveauthentication'] as const) {
    if (effective.value(field) !== 'yes' || (field === 'kbdinteractiveauthentication' && !usePam)) continue;
    const directive = effective.get(field).directive;
    if (directive && !inGlobalScope(config, directive)) return undefined;
    edits.push(directive ? replaceValue(directive, 'no') : setGlobally(config, KEYWORD[field], 'no'));
  }
  // Two insertions at one place become one, in reading order.
  const merged: EditSpec[] = [];
  for (const edit of edits) {
    const same = merged.find(
      (known) =>
        known.span.file === edit.span.file && known.span.start === edit.span.start && known.span.end === edit.span.end && edit.span.start === edit.span.end,
    );
    if (same) same.newText += edit.newText.replace(/^\n/, '');
    else merged.push({ ...edit });
  }
  return merged.length ? merged : undefined;
}
