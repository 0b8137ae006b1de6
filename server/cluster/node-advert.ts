/** What a node of a cluster says of itself in Redis, refreshed before its time to live runs out. */
export interface NodeAdvert {
  id: string;
  /** `draining`: the node answers OPTIONS 503 so the dispatcher sends it no new calls; it finishes those it has. */
  state: 'open' | 'draining';
  /** Calls (SIP activities) in progress on the node. */
  calls: number;
  /** The Sleet version it runs. */
  version: string;
  /** Its SIP address, host:port. */
  sip: string;
  /** Its management API URL. */
  management: string;
  startedAt: number;
  /** When it last refreshed its advert (ms since the epoch). */
  seenAt: number;
  /** How much of the cluster's deployment log it has applied, and its last failure to apply an entry. */
  deployment?: { revision: number; error?: string };
}

/** The header a node's answer to OPTIONS carries, e.g. `node-1; state=open; calls=12`. */
export function nodeStatusHeader(advert: Pick<NodeAdvert, 'id' | 'state' | 'calls'>): string {
  return `${advert.id}; state=${advert.state}; calls=${advert.calls}`;
}
