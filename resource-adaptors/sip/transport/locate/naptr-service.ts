import type { TransportProtocol } from '../transport-types.js';

/** RFC 3263 §4.1 NAPTR services this stack can use, with the SRV prefix each one's replacement normally carries. */
const SERVICES: Readonly<Record<string, { transport: TransportProtocol; srvPrefix: string }>> = {
  'SIP+D2U': { transport: 'UDP', srvPrefix: '_sip._udp.' },
  'SIP+D2T': { transport: 'TCP', srvPrefix: '_sip._tcp.' },
  'SIPS+D2T': { transport: 'TLS', srvPrefix: '_sips._tcp.' },
};

/** The transport of a NAPTR service field, or undefined for one the stack does not have (SCTP, WS, …). */
export function naptrTransport(service: string): TransportProtocol | undefined {
  return SERVICES[service.toUpperCase()]?.transport;
}

/** RFC 3263 §4.1 without NAPTR: the SRV names to query, in the stack's order of preference. */
export function srvNames(domain: string, secure: boolean): { transport: TransportProtocol; name: string }[] {
  const wanted = secure ? ['SIPS+D2T'] : ['SIP+D2U', 'SIP+D2T', 'SIPS+D2T'];
  return wanted.map((service) => ({ transport: SERVICES[service]!.transport, name: SERVICES[service]!.srvPrefix + domain }));
}

/** The SRV name for a transport named in the URI (§4.2 with a transport parameter but no port). */
export function srvNameFor(transport: TransportProtocol, domain: string): string {
  const prefix = transport === 'TLS' ? '_sips._tcp.' : transport === 'TCP' ? '_sip._tcp.' : '_sip._udp.';
  return prefix + domain;
}
