import { lookup } from 'node:dns/promises';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ipFamily, stripBrackets } from './ip-address.js';

export interface ResolvedHost {
  address: string;
  family: 4 | 6;
}

/** An IP literal or 'localhost' as an address, with no resolver to wait for; undefined for any other name. */
export function addressOf(host: string, preferFamily?: 4 | 6): ResolvedHost | undefined {
  const plain = stripBrackets(host);
  const family = ipFamily(plain);
  if (family !== 0) return { address: plain, family };
  if (plain.toLowerCase() === 'localhost') return preferFamily === 6 ? { address: '::1', family: 6 } : { address: '127.0.0.1', family: 4 };
  return undefined;
}

/**
 * Turns a next-hop host into an address: IP literals as they are, 'localhost'
 * to loopback, anything else through the system resolver (dns.lookup, so
 * /etc/hosts applies). No SRV/NAPTR here: RFC 3263 is `locate/`, which
 * client transactions apply before they reach the transport.
 */
export async function resolveHost(host: string, preferFamily?: 4 | 6): Promise<ResolvedHost> {
  const known = addressOf(host, preferFamily);
  if (known !== undefined) return known;
  const plain = stripBrackets(host);
  try {
    const found = await lookup(plain, preferFamily === undefined ? {} : { family: preferFamily });
    return { address: found.address, family: found.family as 4 | 6 };
  } catch (err) {
    throw new SleetError(ErrorCode.SIP_TRANSPORT, `cannot resolve ${host}`, { cause: err });
  }
}
