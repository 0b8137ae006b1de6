import type { MetricRegistry, MetricSample, ValueSample } from '../../../slee/facilities/metrics/metric-registry.js';
import type { SipStack } from '../stack/index.js';
import { TransportLayer } from '../transport/index.js';
import { COUNTED_METHODS, STATUS_CLASSES, type MessageCounters } from '../transport/message-counters.js';

/**
 * The SIP stack's metrics (`sleet_sip_*`), read from its counters at scrape
 * time. `stack()` is the entity's running stack, or null while inactive
 * (its families are then empty). Returns what unregisters them.
 */
export function registerSipMetrics(registry: MetricRegistry, stack: () => SipStack | null): () => void {
  const fromStack = (read: (stack: SipStack) => MetricSample[]) => () => {
    const current = stack();
    return current === null ? [] : read(current);
  };
  const fromMessages = (read: (messages: MessageCounters, stack: SipStack) => MetricSample[]) =>
    fromStack((s) => (s.transport instanceof TransportLayer ? read(s.transport.messages, s) : []));
  const method = ['method'];
  const methodClass = ['method', 'status_class'];
  const removers = [
    registry.register(
      { name: 'sleet_sip_requests_received_total', help: 'SIP requests received, by method (OTHER for unknown methods)', type: 'counter', labelNames: method },
      fromMessages((m) => byMethod(m.requestsIn)),
    ),
    registry.register(
      { name: 'sleet_sip_requests_sent_total', help: 'SIP requests sent, by method', type: 'counter', labelNames: method },
      fromMessages((m) => byMethod(m.requestsOut)),
    ),
    registry.register(
      { name: 'sleet_sip_responses_received_total', help: 'SIP responses received, by CSeq method and status class', type: 'counter', labelNames: methodClass },
      fromMessages((m) => byMethodAndClass(m.responsesIn)),
    ),
    registry.register(
      { name: 'sleet_sip_responses_sent_total', help: 'SIP responses sent, by CSeq method and status class', type: 'counter', labelNames: methodClass },
      fromMessages((m) => byMethodAndClass(m.responsesOut)),
    ),
    registry.register(
      {
        name: 'sleet_sip_retransmissions_total',
        help: 'SIP retransmissions: received (requests matching a live server transaction) and sent (by transaction timers)',
        type: 'counter',
        labelNames: ['direction'],
      },
      fromMessages((m, s) => [
        { labels: { direction: 'received' }, value: s.transactions.stats.requestRetransmissions },
        { labels: { direction: 'sent' }, value: m.retransmissionsOut },
      ]),
    ),
    registry.register(
      { name: 'sleet_sip_parse_errors_total', help: 'SIP messages that could not be parsed or framed, or were refused as malformed', type: 'counter' },
      fromStack((s) => {
        const transport = s.transport instanceof TransportLayer ? s.transport.counters.parseErrors + s.transport.counters.framingErrors : 0;
        return [{ value: transport + s.transactions.stats.malformed + s.counters.invalidRequests + s.counters.invalidAcks }];
      }),
    ),
    registry.register(
      { name: 'sleet_sip_transactions_active', help: 'Live SIP transactions, by side', type: 'gauge', labelNames: ['side'] },
      fromStack((s) => {
        const stats = s.transactions.stats;
        return [
          { labels: { side: 'server' }, value: stats.serverTransactions },
          { labels: { side: 'client' }, value: stats.clientTransactions },
        ];
      }),
    ),
    registry.register(
      { name: 'sleet_sip_dialogs_active', help: 'Live SIP dialogs held by the stack', type: 'gauge' },
      fromStack((s) => [{ value: s.dialogs.size }]),
    ),
    registry.register(
      { name: 'sleet_sip_invite_final_response_seconds', help: 'Time from an INVITE arriving to its first final response', type: 'histogram' },
      fromStack((s) => {
        const h = s.transactions.inviteToFinal;
        return [{ bounds: h.bounds, counts: h.counts, sum: h.sum }];
      }),
    ),
    registry.register(
      {
        name: 'sleet_sip_worker_handoffs_total',
        help: 'Worker mode: datagrams read on the shared port and handed to the worker owning their Call-ID (out), taken from a sibling (in), frames refused',
        type: 'counter',
        labelNames: ['direction'],
      },
      fromStack((s) => {
        if (!(s.transport instanceof TransportLayer)) return [];
        const c = s.transport.counters;
        return [
          { labels: { direction: 'out' }, value: c.handoffsOut },
          { labels: { direction: 'in' }, value: c.handoffsIn },
          { labels: { direction: 'refused' }, value: c.handoffsRefused },
        ];
      }),
    ),
    registry.register(
      { name: 'sleet_sip_overload_rejections_total', help: 'New SIP requests refused with 503 by overload control', type: 'counter' },
      fromStack((s) => [{ value: s.overloadStats.shed }]),
    ),
  ];
  return () => removers.forEach((remove) => remove());
}

/** Every counted method, zeros included, so that rates start from the first request. */
function byMethod(counts: Float64Array): ValueSample[] {
  return COUNTED_METHODS.map((method, i) => ({ labels: { method }, value: counts[i]! }));
}

/** Only the method and class pairs seen: the full matrix would be 90 mostly empty series per family. */
function byMethodAndClass(counts: Float64Array): ValueSample[] {
  const samples: ValueSample[] = [];
  for (let m = 0; m < COUNTED_METHODS.length; m++) {
    for (let c = 0; c < STATUS_CLASSES.length; c++) {
      const value = counts[m * STATUS_CLASSES.length + c]!;
      if (value > 0) samples.push({ labels: { method: COUNTED_METHODS[m]!, status_class: STATUS_CLASSES[c]! }, value });
    }
  }
  return samples;
}
