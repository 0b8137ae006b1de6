import { isIP } from 'node:net';

/** '[::1]' -> '::1'; other hosts unchanged. */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Host form for Via/URIs: IPv6 literals bracketed. */
export function hostForVia(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

/** 4 or 6 for IP literals (brackets allowed), 0 otherwise. */
export function ipFamily(host: string): 0 | 4 | 6 {
  return isIP(stripBrackets(host)) as 0 | 4 | 6;
}

/** Comparable form of an address: brackets and IPv4-mapped IPv6 prefixes removed, lower-case. */
export function normaliseAddress(address: string): string {
  const plain = stripBrackets(address).toLowerCase();
  return plain.startsWith('::ffff:') && isIP(plain.slice(7)) === 4 ? plain.slice(7) : plain;
}
