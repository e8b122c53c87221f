import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import { text } from '../../core/check';
import type { SourceText } from '../../core/source';
import { logicalLines } from './logical-lines';
import { type TrackedText, isSpaceCode } from './tracked-text';

/** A `-o name=value` (or `-o { name = value }`) override on one master.cf service. */
export interface Override {
  name: string;
  value: TrackedText;
  /** The `name=value` argument. */
  span: Span;
}

export interface MasterService {
  name: string;
  type: string;
  command: string;
  /** The service name field, e.g. `smtp`, `127.0.0.1:10025`, `submission`. */
  nameSpan: Span;
  span: Span;
  /** Last override per parameter wins, as in main.cf. */
  overrides: Map<string, Override>;
  /** The TCP port for inet services, when the name resolves to one. */
  port?: number;
}

export interface MasterCf {
  source: SourceText;
  services: MasterService[];
}

const WELL_KNOWN_PORTS: Record<string, number> = { smtp: 25, submission: 587, submissions: 465, smtps: 465, lmtp: 24 };

export function portOf(serviceName: string): number | undefined {
  const bracket = /^\[[^\]]*\]:(.+)$/.exec(serviceName);
  const portText = bracket ? bracket[1]! : serviceName.includes(':') ? serviceName.slice(serviceName.lastIndexOf(':') + 1) : serviceName;
  if (/^\d+$/.test(portText)) return Number(portText);
  return WELL_KNOWN_PORTS[portText];
}

/**
 * Splits master.cf fields on whitespace, keeping `{ ... }` groups (master(5), Postfix 3.0+) as one field:
 * their bounds, start and end in turn (most fields are only read as text, so no tracked text is made for them).
 */
function fieldBounds(text: string): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    if (text[i] === '{') {
      const close = text.indexOf('}', i);
      i = close < 0 ? text.length : close + 1;
    } else while (i < text.length && !isSpaceCode(text.charCodeAt(i))) i++;
    out.push(start, i);
  }
  return out;
}

export function parseMasterCf(source: SourceText, problems: ParseProblem[]): MasterCf {
  const byKey = new Map<string, MasterService>();
  for (const line of logicalLines(source)) {
    const span = { file: source.path, start: line.start, end: line.end };
    const value = line.value;
    const bounds = fieldBounds(value.text);
    const count = bounds.length / 2;
    if (count < 8) {
      problems.push({
        span,
        severity: 'warning',
        message: text('postfix.master-too-few-fields', { count }),
      });
      continue;
    }
    const field = (index: number) => value.text.slice(bounds[2 * index], bounds[2 * index + 1]);
    const service: MasterService = {
      name: field(0),
      type: field(1),
      command: field(7),
      nameSpan: value.slice(bounds[0]!, bounds[1]).span() ?? span,
      span,
      overrides: new Map(),
    };
    const port = service.type === 'inet' ? portOf(service.name) : undefined;
    if (port !== undefined) service.port = port;
    const args: TrackedText[] = [];
    for (let at = 16; at < bounds.length; at += 2) args.push(value.slice(bounds[at]!, bounds[at + 1]));
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      let setting: TrackedText | undefined;
      if (arg.text === '-o' && i + 1 < args.length) setting = args[++i]!;
      else if (arg.text.startsWith('-o') && arg.text.length > 2) setting = arg.slice(2);
      if (!setting) continue;
      if (setting.text.startsWith('{')) setting = setting.slice(1, setting.text.endsWith('}') ? setting.length - 1 : setting.length).trim();
      const equals = setting.text.indexOf('=');
      const argSpan = setting.span() ?? span;
      if (equals <= 0) {
        problems.push({ span: argSpan, severity: 'warning', message: text('postfix.master-override-needs-name-value', { setting: setting.text }) });
        continue;
      }
      const name = setting.text.slice(0, equals).trim();
      service.overrides.set(name, { name, value: setting.slice(equals + 1).trim(), span: argSpan });
    }
    // master(5): a later entry with the same service name and type replaces the earlier one.
    byKey.set(`${service.name}/${service.type}`, service);
  }
  return { source, services: [...byKey.values()] };
}
