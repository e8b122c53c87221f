import type { Check } from './check';
import type { FormatHandler } from './format';
import { type CatalogueFile, CatalogueSource } from './catalog';

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
  /** Its part of the catalogue, every entry validated (read on first use). */
  readonly catalogue: readonly CatalogueFile[];
  /** The same files as the engine reads them: entries validated one by one as they are used (start-up). */
  catalogueSources: readonly CatalogueSource[];
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
  /**
   * The checks, or a function that requires them: then they are loaded (and checked against the formats and the
   * catalogue) when a file of the family is first linted, not when the product starts (issue 16).
   */
  checks: readonly Check<unknown>[] | (() => readonly Check<unknown>[]);
  catalogue: readonly CataloguePart[];
}

/**
 * Checks the family's wiring: every check reads a model one of its formats produces and names a rule of its
 * catalogue; a broken family fails when its checks are loaded (at once when given as a list), naming the file.
 * The catalogue's entries are validated when first read (see CatalogueSource): a rules file that is not a list,
 * or an entry without an id, fails here.
 */
export function defineFamily(spec: FamilySpec): Family {
  const sources = spec.catalogue.map((part) => new CatalogueSource(part.rules, part.texts, part.file));
  const wired = (checks: readonly Check<unknown>[]): readonly Check<unknown>[] => {
    const models = new Set(spec.formats.map((format) => format.model.id));
    const ruleIds = new Set(sources.flatMap((source) => source.ruleIds()));
    for (const check of checks) {
      if (!models.has(check.model.id))
        throw new Error(`family ${spec.id}: check ${check.rule} reads model ${check.model.id}, which no format of the family produces`);
      if (!ruleIds.has(check.rule))
        throw new Error(`family ${spec.id}: check ${check.rule} has no entry in ${spec.catalogue.map((part) => part.file).join(' or ')}`);
    }
    return checks;
  };
  const checkSource = spec.checks;
  let checks = typeof checkSource === 'function' ? undefined : wired(checkSource);
  if (typeof checkSource === 'function') sources.forEach((source) => source.ruleIds()); // a rules file that is not a list fails now
  let catalogue: readonly CatalogueFile[] | undefined;
  return {
    id: spec.id,
    formats: spec.formats,
    get checks() {
      return (checks ??= wired((checkSource as () => readonly Check<unknown>[])()));
    },
    get catalogue() {
      return (catalogue ??= sources.map((source) => source.file()));
    },
    catalogueSources: sources,
  };
}
