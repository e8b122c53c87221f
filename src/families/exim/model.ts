// The parts of an Exim configuration that decide who may relay and who may log in: main options, named
// lists, the ACLs and the authenticators, each with the span it was written on.
import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import type { LogicalLine, Macro } from './reader';
import type { Tracked } from './tracked';
import type { Debconf } from './debconf';

export interface Setting {
  name: string;
  value: Tracked;
  /** The whole logical line. */
  span: Span;
}

export interface NamedList extends Setting {
  kind: 'hostlist' | 'domainlist' | 'addresslist' | 'localpartlist';
}

export const ACL_VERBS = ['accept', 'defer', 'deny', 'discard', 'drop', 'require', 'warn'] as const;
export type AclVerb = (typeof ACL_VERBS)[number];

export interface AclCondition {
  name: string;
  negated: boolean;
  value: Tracked;
  span: Span;
}

export interface AclStatement {
  verb: AclVerb;
  /** The verb as written (where findings about the statement go). */
  verbSpan: Span;
  conditions: AclCondition[];
  /** Index in `conditions` of `endpass`, when present. */
  endpass?: number;
}

export interface Acl {
  name: string;
  span: Span;
  statements: AclStatement[];
}

export interface Driver {
  name: string;
  span: Span;
  /** `name:` as written. */
  nameSpan: Span;
  options: Map<string, Setting>;
}

export class EximConfig {
  readonly main = new Map<string, Setting>();
  readonly lists = new Map<string, NamedList>();
  readonly acls = new Map<string, Acl>();
  readonly authenticators: Driver[] = [];

  constructor(
    readonly macros: Map<string, Macro>,
    readonly sources: SourceText[],
    /** update-exim4.conf.conf when this configuration is Debian's (read beside it, or the linted file). */
    readonly debconf: Debconf | undefined,
    /** `.include` files that could not be read: what they add is unknown. */
    readonly missingIncludes: Span[],
  ) {}

  option(name: string): Setting | undefined {
    return this.main.get(name);
  }

  get rcptAcl(): Acl | undefined {
    const name = this.main.get('acl_smtp_rcpt')?.value.text.trim();
    return name ? this.acls.get(name) : undefined;
  }

  sourceOf(file: string): SourceText | undefined {
    return this.sources.find((source) => source.path === file);
  }
}

const LIST_KINDS = new Set(['hostlist', 'domainlist', 'addresslist', 'localpartlist']);
const VERBS = new Set<string>(ACL_VERBS);
const DRIVER_SECTIONS = new Set(['authenticators', 'routers', 'transports']);

/** Builds the model from the reader's logical lines; lines of other sections are not needed. */
export function buildModel(config: EximConfig, lines: LogicalLine[]): void {
  let acl: Acl | undefined;
  let driver: Driver | undefined;
  for (const line of lines) {
    const textValue = line.text.text;
    if (line.section === 'main') {
      const list = /^(hostlist|domainlist|addresslist|localpartlist)(?:_cache)?\s+([\w-]+)\s*=\s*/.exec(textValue);
      if (list && LIST_KINDS.has(list[1]!)) {
        const kind = list[1] as NamedList['kind'];
        config.lists.set(list[2]!, { kind, name: list[2]!, value: line.text.slice(list[0].length).trim(), span: line.span });
        continue;
      }
      const option = /^(?:hide\s+)?([a-z][\w]*)\s*(?:=\s*|$)/.exec(textValue);
      if (option) {
        const value = textValue.includes('=') ? line.text.slice(option[0].length).trim() : line.text.slice(textValue.length);
        config.main.set(option[1]!, { name: option[1]!, value, span: line.span });
      }
    } else if (line.section === 'acl') {
      const name = /^([\w-]+):\s*$/.exec(textValue);
      if (name) {
        acl = { name: name[1]!, span: line.span, statements: [] };
        config.acls.set(acl.name, acl);
        continue;
      }
      if (!acl) continue;
      const verb = /^(\w+)(\s+|$)/.exec(textValue);
      let rest = line.text;
      if (verb && VERBS.has(verb[1]!)) {
        const start = line.text.slice(0, verb[1]!.length);
        acl.statements.push({ verb: verb[1] as AclVerb, verbSpan: start.span() ?? line.span, conditions: [] });
        rest = line.text.slice(verb[0].length);
        if (!rest.text.trim()) continue;
      }
      const statement = acl.statements[acl.statements.length - 1];
      if (!statement) continue;
      if (/^\s*endpass\s*$/.test(rest.text)) {
        statement.endpass = statement.conditions.length;
        continue;
      }
      const condition = /^\s*(!\s*)?([a-z_]+)\s*=\s*/.exec(rest.text);
      if (condition)
        statement.conditions.push({ name: condition[2]!, negated: Boolean(condition[1]), value: rest.slice(condition[0].length).trim(), span: line.span });
    } else if (DRIVER_SECTIONS.has(line.section)) {
      const name = /^([\w-]+):\s*(\S.*)?$/.exec(textValue);
      if (name && !/=/.test(textValue.slice(0, textValue.indexOf(':')))) {
        driver = { name: name[1]!, span: line.span, nameSpan: line.text.slice(0, name[1]!.length + 1).span() ?? line.span, options: new Map() };
        if (line.section === 'authenticators') config.authenticators.push(driver);
        continue;
      }
      const option = /^([a-z][\w]*)\s*(?:=\s*|$)/.exec(textValue);
      if (driver && option) driver.options.set(option[1]!, { name: option[1]!, value: line.text.slice(option[0].length).trim(), span: line.span });
    }
  }
}
