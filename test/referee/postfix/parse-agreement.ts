// Parse agreement: every parameter value our parser computes equals what postconf computes from the
// same files, per master.cf service.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MasterService } from '../../../src/families/postfix/master-cf';
import type { PostfixConfig } from '../../../src/families/postfix/config';
import { defaultValue } from '../../../src/families/postfix/defaults';
import { DEBIAN_MASTER_CF, type EngineView, type RefereeCase } from './cases';
import { postconf, warningsOf, writeAged } from './environment';

/** Parameters the checks read: their expansion must never depend on a default the model lacks. */
export const SECURITY_PARAMETERS = [
  'compatibility_level',
  'mynetworks',
  'mynetworks_style',
  'smtpd_client_restrictions',
  'smtpd_helo_restrictions',
  'smtpd_sender_restrictions',
  'smtpd_relay_restrictions',
  'smtpd_recipient_restrictions',
  'smtpd_restriction_classes',
  'smtpd_sasl_auth_enable',
  'smtpd_tls_auth_only',
  'smtpd_enforce_tls',
  'smtpd_use_tls',
  'smtpd_tls_wrappermode',
  'smtpd_tls_security_level',
  'smtpd_client_auth_rate_limit',
  'inet_interfaces',
];

/** Built-in defaults the model defines (defaults.ts); compared like written values. */
const MODELLED_DEFAULTS = SECURITY_PARAMETERS.filter((name) => defaultValue(name, '3.6') !== undefined);

export interface ParseResult {
  compared: number;
  disagreements: string[];
  /** Built-in defaults the model does not know, blanked on both sides (by name, with a count). */
  unmodelled: Map<string, number>;
  /** Names our parser has but postconf ignores ("unused parameter"). */
  unused: string[];
  /** Names whose value depends on the running process (debugger_command: $process_name): not compared expanded. */
  runtime: string[];
  /** postconf's warnings for the files as written. */
  warnings: string[];
}

/** Writes a case into a config directory; a lone main.cf gets Debian's default master.cf. */
export async function writeCase(referee: RefereeCase, directory: string): Promise<void> {
  for (const [name, text] of referee.files) await writeAged(path.join(directory, name), text);
  if (!referee.files.has('master.cf')) await writeAged(path.join(directory, 'master.cf'), await fs.readFile(DEBIAN_MASTER_CF, 'utf8'));
}

/** postconf(1) prints values with runs of whitespace collapsed; list values mean the same either way. */
const normalise = (value: string) => value.replace(/\s+/g, ' ').trim();

/** Set by each process as it starts (postconf(5) process_name, process_id): no file decides them. */
const RUNTIME_PARAMETERS = new Set(['process_name', 'process_id']);

function parseAssignments(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf(' = ');
    if (at > 0) out.set(line.slice(0, at), line.slice(at + 3));
    else if (line.endsWith(' =')) out.set(line.slice(0, -2), '');
  }
  return out;
}

/** `$name`, `${name...}`, `$(name...)` references in a raw value. */
function references(raw: string): string[] {
  return [...raw.matchAll(/\$(?:[{(])?([A-Za-z0-9_]+)/g)].map((match) => match[1]!);
}

/** Names reached through expansion that are neither written (main.cf / -o) nor modelled defaults. */
function unmodelledReferences(config: PostfixConfig, name: string, service: MasterService | undefined): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (current: string) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const reference of references(config.parameter(current, service).raw.text)) {
      const modelled =
        config.isExplicit(reference, service) || defaultValue(reference, config.parameter('compatibility_level', service).expanded.text) !== undefined;
      if (!modelled) found.add(reference);
      else visit(reference);
    }
  };
  visit(name);
  return found;
}

const serviceKey = (service: MasterService) => `${service.name}/${service.type}`;

export async function compareParse(referee: RefereeCase, view: EngineView, directory: string): Promise<ParseResult> {
  await writeCase(referee, directory);
  const result: ParseResult = { compared: 0, disagreements: [], unmodelled: new Map(), unused: [], runtime: [], warnings: [] };
  const { config } = view;
  const fail = (message: string) => result.disagreements.push(`${referee.name}: ${message}`);

  // 1. Written values, unexpanded: postconf -n.
  const written = await postconf(directory, ['-n']);
  if (written.code !== 0) fail(`postconf -n failed: ${written.stderr}`);
  result.warnings = warningsOf(written.stderr, directory);
  const theirs = parseAssignments(written.stdout);
  theirs.delete('config_directory'); // set by -c itself
  const ours = new Map([...(config.main?.effective ?? new Map())].map(([name, definition]) => [name, definition.value.text]));
  for (const [name, value] of ours) {
    if (name === 'config_directory') continue;
    if (!theirs.has(name)) {
      if (result.warnings.some((warning) => warning.includes(`unused parameter: ${name}=`))) result.unused.push(name);
      else fail(`${name}: our parser reads "${value}", postconf -n does not list it`);
      continue;
    }
    result.compared++;
    if (theirs.get(name) !== value) fail(`${name} (written): ours "${value}", postconf -n "${theirs.get(name)}"`);
  }
  for (const name of theirs.keys()) if (!ours.has(name)) fail(`${name}: postconf -n lists it, our parser does not`);

  // 2. master.cf overrides, unexpanded: postconf -P.
  if (config.master) {
    const overrides = parseAssignments((await postconf(directory, ['-P'])).stdout);
    const ourOverrides = new Map<string, string>();
    for (const service of config.master.services)
      for (const [name, override] of service.overrides) ourOverrides.set(`${serviceKey(service)}/${name}`, override.value.text);
    for (const [key, value] of ourOverrides) {
      result.compared++;
      if (overrides.get(key) !== value) fail(`${key} (-o): ours "${value}", postconf -P "${overrides.get(key) ?? '(absent)'}"`);
    }
    for (const key of overrides.keys()) if (!ourOverrides.has(key)) fail(`${key}: postconf -P lists an override our parser does not`);
  }

  // 3. Effective expanded values, per evaluated service: postconf -x with the service's -o applied.
  for (const service of config.evaluatedServices) {
    const names = new Set<string>([...ours.keys(), ...MODELLED_DEFAULTS, ...SECURITY_PARAMETERS, ...(service?.overrides.keys() ?? [])]);
    names.delete('config_directory'); // -c sets it; the model assumes /etc/postfix
    // postconf(5): the default mynetworks is computed from this host's interfaces; the model cannot know it.
    if (!config.isExplicit('mynetworks', service)) names.delete('mynetworks');
    for (const name of [...names]) if (result.unused.includes(name)) names.delete(name);
    const blank = new Set<string>();
    for (const name of [...names]) {
      const missing = unmodelledReferences(config, name, service);
      if ([...missing].some((reference) => RUNTIME_PARAMETERS.has(reference))) {
        names.delete(name);
        result.runtime.push(name);
        continue;
      }
      if (missing.size && SECURITY_PARAMETERS.includes(name))
        fail(`${name}${service ? ` (${serviceKey(service)})` : ''} expands through built-in defaults the model lacks: ${[...missing].join(', ')}`);
      for (const reference of missing) {
        blank.add(reference);
        result.unmodelled.set(reference, (result.unmodelled.get(reference) ?? 0) + 1);
      }
    }
    const args = ['-x'];
    for (const [name, override] of service?.overrides ?? []) args.push('-o', `${name}=${override.value.text}`);
    for (const name of blank) args.push('-o', `${name}=`);
    const expanded = await postconf(directory, [...args, ...names]);
    const values = parseAssignments(expanded.stdout);
    const label = service ? ` (${serviceKey(service)})` : '';
    for (const name of names) {
      if (!values.has(name)) {
        if (SECURITY_PARAMETERS.includes(name) || config.isExplicit(name, service)) {
          // A user-defined name (a restriction class, `office_networks`) that postconf -x does not print is fine
          // when postconf warns it is unknown and nothing uses it; anything else is a disagreement.
          if (!expanded.stderr.includes(`${name}: unknown parameter`)) fail(`${name}${label}: postconf -x printed nothing`);
        }
        continue;
      }
      result.compared++;
      const ourValue = config.parameter(name, service).expanded.text;
      if (values.get(name) !== normalise(ourValue)) fail(`${name}${label} (expanded): ours "${ourValue}", postconf -x "${values.get(name)}"`);
    }
  }
  return result;
}
