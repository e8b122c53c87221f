// What the options a client gets allow: can it log in with a password alone, may root log in with one.
import { type TextRef, text } from '../../core/check';
import type { Setting } from './options';
import type { Effective } from './model';
import type { Client } from './match';
import { matchAddressList, matchPattern, matchPatternList } from './patterns';

export interface PasswordLogin {
  possible: boolean;
  /** 'password' (PasswordAuthentication) or 'keyboard-interactive' (PAM asking for the password). */
  via?: 'password' | 'keyboard-interactive';
  /** The setting that switches it on (PasswordAuthentication, or KbdInteractiveAuthentication with UsePAM). */
  setting?: Setting;
  field?: 'passwordauthentication' | 'kbdinteractiveauthentication';
}

/**
 * Whether a password alone opens a session: PasswordAuthentication, or keyboard-interactive answered by PAM
 * (Linux has no other keyboard-interactive device), unless every AuthenticationMethods list also demands
 * something else (a key).
 */
export function passwordLogin(effective: Effective): PasswordLogin {
  const password = effective.value('passwordauthentication') === 'yes';
  const keyboard = effective.value('kbdinteractiveauthentication') === 'yes' && effective.value('usepam') === 'yes';
  const lists = (effective.get('authenticationmethods').value as readonly string[] | '') || [];
  const alone = (method: string) => (method === 'password' && password) || (method.split(':')[0] === 'keyboard-interactive' && keyboard);
  const sufficient = lists.length === 0 ? password || keyboard : lists.some((list) => list.split(',').every(alone));
  if (!sufficient) return { possible: false };
  const usePassword = password && (lists.length === 0 || lists.some((list) => list.split(',').every(alone) && list.split(',').includes('password')));
  return usePassword
    ? { possible: true, via: 'password', setting: effective.get('passwordauthentication'), field: 'passwordauthentication' }
    : { possible: true, via: 'keyboard-interactive', setting: effective.get('kbdinteractiveauthentication'), field: 'kbdinteractiveauthentication' };
}

/** match_user(): a DenyUsers/AllowUsers pattern, `user` or `user@host-or-address-list`. */
function userPatternMatches(pattern: string, client: Client, user: string): boolean {
  const at = pattern.indexOf('@');
  if (at < 0) return matchPattern(user, pattern);
  if (!matchPattern(user, pattern.slice(0, at))) return false;
  const hosts = pattern.slice(at + 1);
  if (client.address === undefined || client.host === undefined) return false;
  const byAddress = matchAddressList(client.address, hosts);
  if (byAddress === -1) return false;
  const byHost = matchPatternList(client.host.toLowerCase(), hosts, true);
  if (byHost === -1) return false;
  return byAddress === 1 || byHost === 1;
}

/** auth.c's allowed_user() for the user lists: DenyUsers, AllowUsers, DenyGroups, AllowGroups. */
export function userAllowed(effective: Effective, client: Client, user: string, groups: readonly string[]): boolean {
  const list = (field: string) => (effective.get(field).value as readonly string[] | '') || [];
  if (list('denyusers').some((pattern) => userPatternMatches(pattern, client, user))) return false;
  const allow = list('allowusers');
  if (allow.length && !allow.some((pattern) => userPatternMatches(pattern, client, user))) return false;
  const groupMatch = (patterns: readonly string[]) => groups.some((group) => patterns.some((pattern) => matchPattern(group, pattern)));
  if (list('denygroups').length && groupMatch(list('denygroups'))) return false;
  if (list('allowgroups').length && !groupMatch(list('allowgroups'))) return false;
  return true;
}

/** Root may log in with a password alone: PermitRootLogin yes, a password suffices, and the user lists let root in. */
export function rootPasswordLogin(effective: Effective, client: Client): boolean {
  return effective.value('permitrootlogin') === 'yes' && passwordLogin(effective).possible && userAllowed(effective, client, 'root', client.groups ?? ['root']);
}

/** What a Match block gives its clients that clients matching no block do not get (the worst), or undefined. */
export function relaxation(block: Effective, global: Effective): TextRef | undefined {
  const password = passwordLogin(block).possible;
  if (password && block.value('permitemptypasswords') === 'yes' && global.value('permitemptypasswords') !== 'yes') return text('sshd.relaxed-empty-passwords');
  if (password && block.value('permitrootlogin') === 'yes' && global.value('permitrootlogin') !== 'yes') return text('sshd.relaxed-root');
  if (password && !passwordLogin(global).possible) return text('sshd.relaxed-password');
  return undefined;
}
