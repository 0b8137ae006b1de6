import type { SipUri } from '../message/index.js';
import type { TransportTarget } from '../transport/transport-types.js';

/** A target-set element (RFC 3261 §16.5): a URI, its q-value (default 1) and optionally where to send it. */
export interface ProxyTarget {
  uri: SipUri | string;
  q?: number;
  /** A route set to put in front (RFC 3327: a binding's Path); the next hop follows from it unless `via` says. */
  routes?: string[];
  /** Overrides the next hop the Route/Request-URI would give. */
  via?: TransportTarget;
}
