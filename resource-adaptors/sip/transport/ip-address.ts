import { isIP } from 'node:net';
import { lowerCase } from '../message/index.js';

/** '[::1]' -> '::1'; other hosts unchanged. */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * What `isIPv4` of node:net accepts (four decimal octets up to 255, none
 * with a leading zero), read without its regular expression: addresses are
 * classified several times for every datagram, and a regular expression
 * costs about ten times this loop.
 */
export function isIPv4(text: string): boolean {
  const length = text.length;
  if (length < 7 || length > 15) return false;
  let dots = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2e) {
      if (digits === 0 || ++dots > 3) return false;
      digits = 0;
      octet = 0;
    } else if (code >= 0x30 && code <= 0x39) {
      if (digits === 1 && octet === 0) return false;
      octet = octet * 10 + (code - 0x30);
      if (++digits > 3 || octet > 255) return false;
    } else return false;
  }
  return dots === 3 && digits > 0;
}

/** `isIP` of node:net: 4 or 6 for an IP literal, 0 otherwise; IPv4 recognised first, without a regular expression. */
export function ipVersion(text: string): 0 | 4 | 6 {
  return isIPv4(text) ? 4 : (isIP(text) as 0 | 4 | 6);
}

/** Host form for Via/URIs: IPv6 literals bracketed. */
export function hostForVia(address: string): string {
  return ipVersion(address) === 6 ? `[${address}]` : address;
}

/** 4 or 6 for IP literals (brackets allowed), 0 otherwise. */
export function ipFamily(host: string): 0 | 4 | 6 {
  return ipVersion(stripBrackets(host));
}

/** Comparable form of an address: brackets and IPv4-mapped IPv6 prefixes removed, lower-case. */
export function normaliseAddress(address: string): string {
  // An IPv4 literal (what every datagram's source is on a usual node) is its own form.
  if (isIPv4(address)) return address;
  const plain = lowerCase(stripBrackets(address));
  return plain.startsWith('::ffff:') && isIPv4(plain.slice(7)) ? plain.slice(7) : plain;
}
