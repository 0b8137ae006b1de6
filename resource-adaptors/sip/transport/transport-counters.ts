/** Monotonic counters for management (messages, bytes, errors, connections). */
export class TransportCounters {
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** Messages that failed to parse (answered with a stateless 4xx/5xx or dropped). */
  parseErrors = 0;
  /** Stream framing errors; each closed its connection. */
  framingErrors = 0;
  /** Messages over maxMessageSize. */
  oversized = 0;
  keepAlivesIn = 0;
  connectionsOpened = 0;
  connectionsClosed = 0;
  /** Incoming connections refused because maxConnections or maxConnectionsPerSource was reached. */
  connectionsRejected = 0;
  /** Connections closed because a message was not whole by its deadline (messageTimeoutMs). */
  connectionsTimedOut = 0;
  sendErrors = 0;
  /** Requests moved from UDP to TCP for size (RFC 3261 §18.1.1). */
  udpToTcpSwitches = 0;
  /** UDP responses too big for a datagram, sent in their compact form instead. */
  responsesCompacted = 0;
  /** UDP responses too big for a datagram even compacted, replaced by a 513 Message Too Large. */
  responsesReplacedBy513 = 0;
  /** UDP responses whose Via values alone exceed a datagram: not sent, reported through onMalformed. */
  responsesTooLargeDropped = 0;
  /** Worker mode: datagrams read on the shared port and handed to the worker owning their Call-ID. */
  handoffsOut = 0;
  /** Worker mode: datagrams a sibling handed to this worker. */
  handoffsIn = 0;
  /** Worker mode: frames refused (not from a sibling's port on this host, or a wrong token). */
  handoffsRefused = 0;
}
