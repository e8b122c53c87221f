import { defineCheck, text } from '../../../core/check';
import { AddressSet } from '../../../net';
import { sshdModel } from '../formats';
import type { Directive } from '../options';
import { valueSpan } from '../options';
import type { MatchBlock, Occurrence, SshdConfig } from '../model';
import { conditionalBlocks, representative } from '../contexts';
import { FLAG, PERMIT_ROOT_LOGIN, multistate, parseInteger } from '../values';
import { replaceValue, where } from './support';

/** The keywords whose later, stricter value people expect to win; a lower rank is stricter. */
const WATCHED: Record<string, (written: string) => number | undefined> = {
  passwordauthentication: (value) => flagRank(value),
  kbdinteractiveauthentication: (value) => flagRank(value),
  permitemptypasswords: (value) => flagRank(value),
  permitrootlogin: (value) => {
    const canonical = multistate(PERMIT_ROOT_LOGIN, value);
    return canonical === undefined ? undefined : ['no', 'forced-commands-only', 'without-password', 'yes'].indexOf(canonical);
  },
  maxauthtries: (value) => parseInteger(value),
};

function flagRank(value: string): number | undefined {
  const canonical = multistate(FLAG, value);
  return canonical === undefined ? undefined : canonical === 'yes' ? 1 : 0;
}

function written(directive: Directive): string {
  return directive.args.map((token) => token.value).join(' ');
}

export const stricterValueIgnored = defineCheck({
  rule: 'sshd/stricter-value-ignored',
  model: sshdModel,
  run(config, report) {
    const linted = config.linted.path;
    for (const field of Object.keys(WATCHED)) {
      const rank = WATCHED[field]!;
      // Clients matching no block (and Match All), then each block's own clients.
      const scopes: Array<{ block?: MatchBlock; winner?: Directive }> = [{ winner: config.evaluate().get(field).directive }];
      for (const block of conditionalBlocks(config)) {
        const client = representative(config, block, { public: false, trusted: AddressSet.empty });
        if (client) scopes.push({ block, winner: config.evaluate(client).get(field).directive });
      }
      for (const { block, winner } of scopes) {
        if (!winner) continue;
        const winnerRank = rank(winner.args[0]?.value ?? '');
        const first = occurrenceOf(config, winner);
        if (winnerRank === undefined || !first || (block && first.block !== block)) continue;
        for (const later of config.occurrences) {
          if (later.order <= first.order || later.directive.spec?.opcode !== winner.spec?.opcode) continue;
          if (block ? later.block !== block : later.block !== undefined) continue;
          const laterRank = rank(later.directive.args[0]?.value ?? '');
          if (laterRank === undefined || laterRank >= winnerRank) continue;
          const data = {
            keyword: later.directive.line.keyword.value,
            ignored: written(later.directive),
            ignoredAt: where(later.directive),
            winning: written(winner),
            winningAt: where(winner),
          };
          const suggestion = { title: 'applyStricter', data: { value: written(later.directive) }, edits: [replaceValue(winner, written(later.directive))] };
          // Shown where the winning value is written, and on the ignored line when that is the file being edited.
          if (winner.line.file === linted || later.directive.line.file !== linted)
            report(valueSpan(winner), data, {
              related: [{ span: valueSpan(later.directive), message: text('sshd.related-ignored-value') }],
              suggestions: [suggestion],
            });
          if (later.directive.line.file === linted && winner.line.file !== linted)
            report(valueSpan(later.directive), data, {
              related: [{ span: valueSpan(winner), message: text('sshd.related-winning-value') }],
              suggestions: [suggestion],
            });
        }
      }
    }
  },
});

function occurrenceOf(config: SshdConfig, directive: Directive): Occurrence | undefined {
  return config.occurrences.find((occurrence) => occurrence.directive === directive);
}
