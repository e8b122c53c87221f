import type { Check } from './check';
import type { FormatHandler } from './format';
import { type CatalogueFile, readCatalogueFile } from './catalog';

/**
 * A family is one module: the formats it reads (detection and loader), the checks over their models and
 * its part of the catalogue. The core receives families (`createLinter`) and imports none of them.
 */
export interface Family {
  /** e.g. 'postfix', 'web'. */
  id: string;
  /** In detection order: the first format whose name test matches wins. */
  formats: readonly FormatHandler<unknown>[];
  checks: readonly Check<unknown>[];
  catalogue: readonly CatalogueFile[];
}

/** One rules file of a family and the texts file beside it, as parsed JSON. */
export interface CataloguePart {
  /** Where the rules file is, for messages (e.g. 'rules/postfix.json'). */
  file: string;
  /** The rules file: a list of rule entries. Validated when the family is defined. */
  rules: unknown;
  /** The texts file (`rules/<name>.texts.json`): every other text the family's code shows, by key. */
  texts?: unknown;
}

export interface FamilySpec {
  id: string;
  formats: readonly FormatHandler<unknown>[];
  checks: readonly Check<unknown>[];
  catalogue: readonly CataloguePart[];
}

/** Validates the family's catalogue and its wiring; a broken family fails at start-up, naming the file. */
export function defineFamily(spec: FamilySpec): Family {
  const catalogue = spec.catalogue.map((part) => readCatalogueFile(part.rules, part.texts, part.file));
  const models = new Set(spec.formats.map((format) => format.model.id));
  const ruleIds = new Set(catalogue.flatMap((part) => part.rules.map((rule) => rule.id)));
  for (const check of spec.checks) {
    if (!models.has(check.model.id))
      throw new Error(`family ${spec.id}: check ${check.rule} reads model ${check.model.id}, which no format of the family produces`);
    if (!ruleIds.has(check.rule))
      throw new Error(`family ${spec.id}: check ${check.rule} has no entry in ${spec.catalogue.map((part) => part.file).join(' or ')}`);
  }
  return { id: spec.id, formats: spec.formats, checks: spec.checks, catalogue };
}
