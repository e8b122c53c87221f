// Relay agreement: one running Postfix per case, every probe's RCPT reply against our verdict.
import type { MasterService } from '../../../src/families/postfix/master-cf';
import { engineView, type EngineView, type RefereeCase } from './cases';
import { removeSlot, resetSlot } from './environment';
import { startInstance, writeInstance, type RunningInstance } from './instance';
import { probeAddresses } from './probes';
import { probeRelay, type ProbeReply } from './smtp-probe';
import { predictRelay, strangerConsistency } from './verdict';
import { analyseRelay } from '../../../src/families/postfix/restrictions';

export interface ProbeRecord {
  service: MasterService | undefined;
  address: string;
  predicted: boolean;
  actual: ProbeReply;
}

export interface RelayResult {
  view: EngineView;
  probes: ProbeRecord[];
  /** Services whose start-up verdict was compared: smtpd's fatal "specify at least one working instance" or not. */
  startups: number;
  /** Of those, services smtpd refused to start, as we said. */
  refusals: number;
  disagreements: string[];
}

/** smtpd's start-up check failing (smtpd_check.c fail_required / has_required): the oracle of the 'refused' state. */
const NO_WORKING_GATE = /specify at least one working instance of/;

const PARALLEL_PROBES = 6;

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}

export const serviceName = (service: MasterService | undefined) => (service ? `${service.name}/${service.type}` : 'smtp/inet (implicit)');
export const relays = (reply: ProbeReply) => reply.step === 'rcpt' && reply.code >= 200 && reply.code < 300;

/**
 * Starts the case's instance in `slot`, hands it to `use` (extra probes), and always stops and removes it.
 * `extra` adds probe addresses per service (the fix claims).
 */
export async function withInstance<R>(referee: RefereeCase, slot: number, use: (instance: RunningInstance, view: EngineView) => Promise<R>): Promise<R> {
  const view = await engineView(referee);
  const directory = await resetSlot(slot);
  let instance: RunningInstance | undefined;
  try {
    const listeners = await writeInstance(referee, view.config, directory);
    instance = await startInstance(directory, listeners);
    return await use(instance, view);
  } finally {
    await instance?.stop();
    await removeSlot(directory);
  }
}

export async function probeAll(instance: RunningInstance, view: EngineView, referee: RefereeCase, extra: string[] = []): Promise<RelayResult> {
  const result: RelayResult = { view, probes: [], startups: 0, refusals: 0, disagreements: [] };
  for (const [index, listener] of instance.listeners.entries()) {
    const consistency = strangerConsistency(view.config, listener.service);
    if (consistency) result.disagreements.push(`${referee.name} ${serviceName(listener.service)}: ${consistency}`);
    const addresses = [...new Set([...probeAddresses(view.config, listener.service, referee.name), ...extra])];
    // A daemon that dies at start-up (smtpd fatal) is throttled by master for a minute: judge it once.
    const first = await probeRelay(listener.port, addresses[0]!, 5_000);
    // Each listener logs under its own syslog_name (instance.ts); postlogd writes the line a moment later.
    const fatal = first.step === 'connection' ? await fatalLine(instance, index) : undefined;
    // The 'refused' state is exactly smtpd's fatal start-up message about the relay restrictions.
    const refused = analyseRelay(view.config, listener.service).state === 'refused';
    result.startups++;
    if (refused && fatal !== undefined && NO_WORKING_GATE.test(fatal)) result.refusals++;
    if (refused !== (fatal !== undefined && NO_WORKING_GATE.test(fatal)))
      result.disagreements.push(
        `${referee.name} ${serviceName(listener.service)}: we say ${refused ? 'smtpd refuses to start (no working relay check)' : 'smtpd starts'}; Postfix: ${
          fatal ? `smtpd fatal: ${fatal.replace(/^.*?fatal: /, '')}` : `${first.step} ${first.code} ${first.text}`
        }`,
      );
    if (first.step === 'connection' && fatal) {
      const predicted = addresses.map((address) => predictRelay(view.config, listener.service, address));
      result.probes.push({ service: listener.service, address: addresses[0]!, predicted: predicted[0]!.relays, actual: first });
      if (predicted.some((verdict) => verdict.relays))
        result.disagreements.push(
          `${referee.name} ${serviceName(listener.service)}: we say some probes relay; Postfix's smtpd refuses to start: ${fatal.replace(/^.*?fatal: /, '')}`,
        );
      continue;
    }
    const records = await inBatches(addresses, PARALLEL_PROBES, async (address) => {
      const actual = await probeRelay(listener.port, address);
      const predicted = predictRelay(view.config, listener.service, address);
      return { record: { service: listener.service, address, predicted: predicted.relays, actual }, why: predicted.why };
    });
    for (const { record, why } of records) {
      result.probes.push(record);
      if (record.predicted !== relays(record.actual))
        result.disagreements.push(
          `${referee.name} ${serviceName(listener.service)} ${record.address}: we say ${record.predicted ? 'relays' : 'refused'} (${why}); Postfix ${record.actual.step} ${record.actual.code} ${record.actual.text}`,
        );
    }
  }
  return result;
}

/** The fatal line of listener `index`'s smtpd (syslog_name postfix/probe-<index+1>), waiting up to 3 s for postlogd. */
async function fatalLine(instance: RunningInstance, index: number): Promise<string | undefined> {
  const marker = `postfix/probe-${index + 1}/smtpd[`;
  for (let waited = 0; ; waited += 100) {
    const line = instance
      .log()
      .split('\n')
      .find((candidate) => candidate.includes(marker) && / fatal: /.test(candidate));
    if (line || waited >= 3_000) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function compareRelay(referee: RefereeCase, slot: number): Promise<RelayResult> {
  return withInstance(referee, slot, (instance, view) => probeAll(instance, view, referee));
}
