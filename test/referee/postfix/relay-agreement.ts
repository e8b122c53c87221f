// Relay agreement: one running Postfix per case, every probe's RCPT reply against our verdict.
import type { MasterService } from '../../../src/families/postfix/master-cf';
import { engineView, type EngineView, type RefereeCase } from './cases';
import { removeSlot, resetSlot } from './environment';
import { startInstance, writeInstance, type RunningInstance } from './instance';
import { probeAddresses } from './probes';
import { probeRelay, type ProbeReply } from './smtp-probe';
import { predictRelay, strangerConsistency } from './verdict';

export interface ProbeRecord {
  service: MasterService | undefined;
  address: string;
  predicted: boolean;
  actual: ProbeReply;
}

export interface RelayResult {
  view: EngineView;
  probes: ProbeRecord[];
  disagreements: string[];
}

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
  const result: RelayResult = { view, probes: [], disagreements: [] };
  for (const listener of instance.listeners) {
    const consistency = strangerConsistency(view.config, listener.service);
    if (consistency) result.disagreements.push(`${referee.name} ${serviceName(listener.service)}: ${consistency}`);
    const addresses = [...new Set([...probeAddresses(view.config, listener.service, referee.name), ...extra])];
    // A daemon that dies at start-up (smtpd fatal) is throttled by master for a minute: judge it once.
    const first = await probeRelay(listener.port, addresses[0]!, 5_000);
    const fatal = instance
      .log()
      .split('\n')
      .find((line) => /smtpd\[\d+\]: fatal:/.test(line));
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

export async function compareRelay(referee: RefereeCase, slot: number): Promise<RelayResult> {
  return withInstance(referee, slot, (instance, view) => probeAll(instance, view, referee));
}
