// ufw's files: the rules it loads (/etc/ufw/user.rules, user6.rules, before*.rules, after*.rules: iptables-restore
// syntax with ufw's `### tuple ###` records) and /etc/default/ufw (default policies, IPV6=). Each is read
// together with the others, in the order ufw-init loads them, into the shared packet-path model.
import { modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import type { IpFamily, ServiceFacts } from '../shared/firewall';
import type * as Firewall from '../shared/firewall';
import { basename, dirname, joinPath } from '../shared/paths';
import type { UfwDefaults } from './defaults';
import type * as Defaults from './defaults';
import type { UfwFileRole, UfwRuleset } from './load';
import type * as Load from './load';
import { refusals } from '../iptables/formats';

export interface UfwModel {
  kind: 'rules' | 'defaults';
  source: SourceText;
  /** The linted rules file's family (4 for /etc/default/ufw). */
  family: IpFamily;
  /** The linted rules file's role (before, after, user). */
  role?: UfwFileRole;
  v4: UfwRuleset;
  v6: UfwRuleset;
  defaults?: UfwDefaults;
  services: ServiceFacts;
  sources: SourceText[];
}

export const ufwModel = modelKey<UfwModel>('ufw');

const RULES_NAME = /(^|[-_.])(user|before|after)(6?)\.rules$/;

function roleOf(baseName: string): { role: UfwFileRole; family: IpFamily } | undefined {
  const match = RULES_NAME.exec(baseName);
  return match ? { role: match[2] as UfwFileRole, family: match[3] ? 6 : 4 } : undefined;
}

async function load(source: SourceText, context: Parameters<FormatHandler<UfwModel>['load']>[1], kind: 'rules' | 'defaults') {
  // The readers and the packet-path model are loaded with the first ufw file, not at start-up (issue 16).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { findServiceFacts, matrixLimitProblem } = require('../shared/firewall') as typeof Firewall;
  const { parseAssignments } = require('./defaults') as typeof Defaults;
  const { loadUfw, readDefaults } = require('./load') as typeof Load;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const problems = new Map<string, ParseProblem[]>();
  const linted = kind === 'rules' ? roleOf(basename(source.path)) : undefined;
  const folder = kind === 'rules' ? dirname(source.path) : joinPath(dirname(source.path), '../ufw');
  const defaults = kind === 'defaults' ? { source, assignments: parseAssignments(source) } : await readDefaults(folder, context.files);
  const own = linted ? { ...linted, source } : undefined;
  const v4 = await loadUfw(folder, 4, context.files, own, defaults, problems);
  const v6 = await loadUfw(folder, 6, context.files, own, defaults, problems);
  const services = await findServiceFacts(source.path, context.files);
  const read = [...v4.files, ...v6.files].map((file) => file.source);
  const sources = [
    source,
    ...read.filter((file) => file !== source),
    ...(defaults && defaults.source !== source ? [defaults.source] : []),
    ...services.sources,
  ];
  const model: UfwModel = {
    kind,
    source,
    family: linted?.family ?? 4,
    ...(linted ? { role: linted.role } : {}),
    v4,
    v6,
    ...(defaults ? { defaults } : {}),
    services,
    sources,
  };
  const heavy = kind === 'rules' ? matrixLimitProblem(source, v4.ruleset, v6.ruleset) : undefined;
  return { model, problems: [...refusals(problems.get(source.path) ?? []), ...(heavy ? [heavy] : [])], sources };
}

export const ufwRules: FormatHandler<UfwModel> = {
  id: 'ufw-rules',
  model: ufwModel,
  label: text('ufw.label-rules'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => RULES_NAME.test(baseName),
  detectByContent: (head) => /^:ufw6?-[\w-]+ - \[\d+:\d+\]/m.test(head) || /^### tuple ###/m.test(head),
  load: (source, context) => load(source, context, 'rules'),
};

export const ufwDefaults: FormatHandler<UfwModel> = {
  id: 'ufw-default',
  model: ufwModel,
  label: text('ufw.label-default'),
  commentPrefix: '#',
  detectByName: (path, baseName) => /(^|\/)default\/ufw$/.test(path) || /(^|[-_.])default[-_.]ufw$/.test(baseName),
  detectByContent: (head) => /^DEFAULT_INPUT_POLICY=/m.test(head) && /^DEFAULT_(OUTPUT|FORWARD)_POLICY=/m.test(head),
  load: (source, context) => load(source, context, 'defaults'),
};

export const ufwFormats: FormatHandler<unknown>[] = [ufwRules, ufwDefaults];
