// What the ufw checks share: which ruleset the linted file belongs to, and how a rule is named in messages.
import { type TextRef, text } from '../../../core/check';
import type { FirewallRule } from '../../shared/firewall';
import type { IptRule } from '../../iptables/rule';
import type { UfwModel } from '../formats';
import type { UfwRuleset } from '../load';

/** The ruleset of the linted rules file's family, when ufw loads it. */
export function lintedRuleset(model: UfwModel): UfwRuleset | undefined {
  if (model.kind !== 'rules') return undefined;
  const ruleset = model.family === 6 ? model.v6 : model.v4;
  return ruleset.applied ? ruleset : undefined;
}

/** Rules ufw-init writes itself (its policy helpers), as opposed to rules read from a file. */
export function isSynthetic(rule: FirewallRule): boolean {
  return (rule as IptRule).line.span.file.endsWith('/(ufw-init)');
}

/** "ufw rule `allow tcp 3389 ...`" from the rule's `### tuple ###` record, or "this rule". */
export function ruleName(ruleset: UfwRuleset, rule: FirewallRule): TextRef {
  const tuple = ruleset.tuples.get(rule as IptRule);
  return tuple ? text('ufw.tuple-rule', { tuple: tuple.text }) : text('ufw.this-rule');
}
