// firewalld service definitions: what `<service name="x"/>` opens. The shipped definitions are data generated
// from Debian's firewalld package (data/services.json, see data/generate-services.ts); a project's own
// /etc/firewalld/services/*.xml overrides or adds to them, as firewalld does.
import { type XmlElement, attribute, childrenNamed } from './xml';
import shipped from './data/services.json';

export interface ServicePort {
  /** `22` or `8000-8010`; empty for a protocol-wide entry. */
  port: string;
  protocol: string;
}

export interface ServiceDefinition {
  ports: ServicePort[];
  /** `<protocol value="gre"/>`: every packet of the protocol. */
  protocols: string[];
  sourcePorts: ServicePort[];
  /** Other services this one includes (`<include service="…"/>`). */
  includes: string[];
  /** `<destination ipv4="…" ipv6="…"/>`: the service applies only to these destinations (and only to the families given). */
  destination?: { ipv4?: string; ipv6?: string };
  helpers: string[];
}

export const SHIPPED_SERVICES = shipped as Record<string, ServiceDefinition>;

/** A service definition from its XML root element (`<service>`). */
export function readService(root: XmlElement): ServiceDefinition {
  const entries = (name: string) =>
    childrenNamed(root, name).map((element) => ({ port: attribute(element, 'port')?.value ?? '', protocol: attribute(element, 'protocol')?.value ?? '' }));
  const destination = childrenNamed(root, 'destination')[0];
  const ipv4 = destination ? attribute(destination, 'ipv4')?.value : undefined;
  const ipv6 = destination ? attribute(destination, 'ipv6')?.value : undefined;
  return {
    ports: entries('port'),
    protocols: childrenNamed(root, 'protocol').flatMap((element) => attribute(element, 'value')?.value ?? []),
    sourcePorts: entries('source-port'),
    includes: childrenNamed(root, 'include').flatMap((element) => attribute(element, 'service')?.value ?? []),
    ...(destination ? { destination: { ...(ipv4 ? { ipv4 } : {}), ...(ipv6 ? { ipv6 } : {}) } } : {}),
    helpers: childrenNamed(root, 'helper').flatMap((element) => attribute(element, 'name')?.value ?? []),
  };
}
