// What firewalld would run with: the zones (the project's zone files over the zones Debian ships), the
// default zone (firewalld.conf's DefaultZone, else firewalld's fallback `public`) and the service definitions
// (the project's /etc/firewalld/services over the shipped ones).
import type { Span } from '../../core/types';
import { SHIPPED_SERVICES, type ServiceDefinition } from './services';
import { type ShippedZone, type Zone, shippedZone, zoneFacts } from './zone';
import shippedZones from './data/zones.json';

export const SHIPPED_ZONES = shippedZones as Record<string, ShippedZone>;
/** firewalld's built-in default zone when firewalld.conf does not name one (FALLBACK_ZONE). */
export const FALLBACK_ZONE = 'public';

export interface ConfEntry {
  key: string;
  value: string;
  /** The whole `Key=value` line. */
  span: Span;
  valueSpan: Span;
}

export interface FirewalldConf {
  file: string;
  entries: ConfEntry[];
}

export function confValue(conf: FirewalldConf | undefined, key: string): ConfEntry | undefined {
  // The last line with the key wins.
  const entries = conf?.entries ?? [];
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.key === key) return entries[i];
  return undefined;
}

export class FirewalldSetup {
  constructor(
    /** Zones by name: the project's files first, then the shipped ones it does not replace. */
    readonly zones: ReadonlyMap<string, Zone>,
    readonly conf: FirewalldConf | undefined,
    private readonly projectServices: ReadonlyMap<string, ServiceDefinition>,
    /** The file being linted. */
    readonly linted: string,
    /**
     * The linted zone is a file on its own (not in a zones folder, no firewalld.conf beside it): it is taken as
     * the zone that handles this host's traffic, since a zone without bindings handles nothing otherwise.
     */
    readonly standaloneZone?: string,
  ) {}

  static build(
    projectZones: Zone[],
    conf: FirewalldConf | undefined,
    services: Map<string, ServiceDefinition>,
    linted: string,
    standaloneZone?: string,
  ): FirewalldSetup {
    const zones = new Map<string, Zone>();
    for (const zone of projectZones) zones.set(zone.name, zone);
    for (const [name, facts] of Object.entries(SHIPPED_ZONES)) if (!zones.has(name)) zones.set(name, shippedZone(name, facts));
    return new FirewalldSetup(zones, conf, services, linted, standaloneZone);
  }

  /** The default zone's name and where it is chosen. */
  get defaultZone(): { name: string; entry?: ConfEntry } {
    if (this.standaloneZone) return { name: this.standaloneZone };
    const entry = confValue(this.conf, 'DefaultZone');
    if (entry && this.zones.has(entry.value)) return { name: entry.value, entry };
    return { name: FALLBACK_ZONE };
  }

  service(name: string): ServiceDefinition | undefined {
    return this.projectServices.get(name) ?? (Object.prototype.hasOwnProperty.call(SHIPPED_SERVICES, name) ? SHIPPED_SERVICES[name] : undefined);
  }

  /** A service with its includes resolved (each included once). */
  expandService(name: string, seen = new Set<string>()): ServiceDefinition[] {
    if (seen.has(name)) return [];
    seen.add(name);
    const definition = this.service(name);
    if (!definition) return [];
    return [definition, ...definition.includes.flatMap((included) => this.expandService(included, seen))];
  }

  /** The zone is a shipped default left as Debian ships it (its findings are the distribution's, not the project's). */
  isAsShipped(zone: Zone): boolean {
    // A zone file on its own may be a copy of a shipped zone under another name (debian-zone-public.xml).
    const candidates = this.standaloneZone === zone.name ? Object.values(SHIPPED_ZONES) : SHIPPED_ZONES[zone.name] ? [SHIPPED_ZONES[zone.name]!] : [];
    const shipped = candidates.some((facts) => JSON.stringify(facts) === JSON.stringify(zoneFacts(zone)));
    return (
      shipped &&
      zone.sources.length === 0 &&
      zone.interfaces.length === 0 &&
      zone.rules.length === 0 &&
      zone.sourcePorts.length === 0 &&
      zone.forwardPorts.length === 0
    );
  }
}
