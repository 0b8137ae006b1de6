import { lookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * The `lookup` of our UDP sockets. dgram looks up every destination, even
 * an IP literal, and dns.lookup answers a literal on the next tick: one
 * deferred callback per datagram sent. A literal (what the transport
 * layer always passes) is answered at once; names still go to dns.lookup.
 */
export function datagramLookup(host: string, options: number | LookupOneOptions, callback: LookupCallback): void {
  const family = isIP(host);
  if (family !== 0) {
    callback(null, host, family);
    return;
  }
  lookup(host, typeof options === 'number' ? { family: options } : options, callback);
}
