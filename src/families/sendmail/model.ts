// What decides relaying and AUTH for a Sendmail MTA: the .mc (FEATUREs, defines, DAEMON_OPTIONS), the
// access map's source and the relay-domains class, read together.
import type { SourceText } from '../../core/source';
import type { AccessEntry, ClassItem } from './access';
import type { McCall, McFile } from './mc';
import { octetPrefix } from './access';
import { AddressSet, isLoopbackOnly, parseRange } from '../../net';

export class SendmailConfig {
  constructor(
    /** The .mc and the .m4 files it includes, in order. */
    readonly mc: McFile[],
    readonly access: AccessEntry[] | undefined,
    readonly relayDomains: ClassItem[] | undefined,
    readonly sources: SourceText[],
  ) {}

  private allCalls: McCall[] | undefined;

  /** Every call of the .mc and its includes, in order (gathered once: the checks ask many times). */
  get calls(): McCall[] {
    this.allCalls ??= this.mc.flatMap((file) => file.calls);
    return this.allCalls;
  }

  features(name: string): McCall[] {
    return this.calls.filter((call) => call.name === 'FEATURE' && call.args[0]?.value.trim() === name);
  }

  hasFeature(name: string): boolean {
    return this.features(name).length > 0;
  }

  /** The effective define of an m4 name (the last define, unless undefined after it). */
  define(name: string): McCall | undefined {
    let found: McCall | undefined;
    for (const call of this.calls) {
      if (call.args[0]?.value.trim() !== name) continue;
      if (call.name === 'define') found = call;
      else if (call.name === 'undefine') found = undefined;
    }
    return found;
  }

  /** Access map entries when the .mc enables FEATURE(`access_db') (assumed when no .mc is in sight). */
  get activeAccess(): AccessEntry[] {
    if (!this.access) return [];
    if (this.mc.length && !this.hasFeature('access_db')) return [];
    return this.access;
  }

  /** Class R items: relay-domains, RELAY_DOMAIN(…) and `CR` lines after LOCAL_CONFIG. */
  get classR(): ClassItem[] {
    const out: ClassItem[] = [...(this.relayDomains ?? [])];
    for (const call of this.calls.filter((item) => item.name === 'RELAY_DOMAIN'))
      for (const arg of call.args)
        for (const word of arg.value.split(/\s+/).filter(Boolean)) {
          const parsed = octetPrefix(word);
          out.push({ text: word, span: arg.valueSpan ?? arg.span, ...(parsed ? { parsed } : {}) });
        }
    for (const line of this.mc.flatMap((file) => file.localConfig))
      if (line.text.startsWith('CR'))
        for (const word of line.text.slice(2).split(/\s+/).filter(Boolean)) {
          const parsed = octetPrefix(word);
          out.push({ text: word, span: line.span, ...(parsed ? { parsed } : {}) });
        }
    return out;
  }

  sourceOf(file: string): SourceText | undefined {
    return this.sources.find((source) => source.path === file);
  }
}

/**
 * Whether every DAEMON_OPTIONS listens on loopback only (Debian's default MTA binds 127.0.0.1). Without
 * DAEMON_OPTIONS Sendmail listens on every address.
 */
export function loopbackOnly(config: SendmailConfig): boolean {
  const daemons = config.calls.filter((call) => call.name === 'DAEMON_OPTIONS');
  if (!daemons.length) return false;
  return daemons.every((call) => {
    const address = /(?:^|,)\s*Addr(?:ess)?=([^,\s]+)/i.exec(call.args[0]?.value ?? '')?.[1];
    const parsed = address ? parseRange(address) : undefined;
    return parsed !== undefined && isLoopbackOnly(AddressSet.of(parsed.range));
  });
}
