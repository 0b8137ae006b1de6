import { Resolver } from 'node:dns/promises';

/** 'a, b:53' → ['a', 'b:53']: the form of --dns-servers and of the SIP RA's dnsServers property. */
export function splitDnsServers(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Why a list of DNS servers ('127.0.0.1', '127.0.0.1:5353', '[::1]:53') is unusable, or undefined when node's resolver takes it. */
export function dnsServersProblem(servers: readonly string[]): string | undefined {
  try {
    new Resolver().setServers([...servers]);
    return undefined;
  } catch (err) {
    return `not DNS server addresses (IP[:port]): ${servers.join(', ')} (${(err as Error).message})`;
  }
}
