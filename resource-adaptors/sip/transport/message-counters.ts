import { SIP_METHODS, type SipRequest, type SipResponse } from '../message/index.js';

/** Methods counted by name; any other is counted as OTHER, so the label set stays bounded whatever peers send. */
export const COUNTED_METHODS = [...SIP_METHODS, 'OTHER'] as const;
/** Status classes: index 0 is 1xx … 5 is 6xx. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', '6xx'] as const;

const OTHER = COUNTED_METHODS.length - 1;
const METHOD_INDEX = new Map<string, number>(COUNTED_METHODS.map((m, i) => [m, i]));

function methodIndex(method: string): number {
  return METHOD_INDEX.get(method) ?? OTHER;
}

/** The CSeq method of a response; a CSeq too broken to parse counts as OTHER (the transaction layer drops it later). */
function responseMethodIndex(response: SipResponse): number {
  try {
    return methodIndex(response.cseq.method);
  } catch {
    return OTHER;
  }
}

function classIndex(status: number): number {
  const c = Math.floor(status / 100) - 1;
  return c < 0 ? 0 : c > 5 ? 5 : c;
}

/**
 * SIP messages in and out by method (responses also by status class), kept
 * as flat arrays indexed by a bounded lookup: counting is one Map get and one
 * increment. Read by metrics at scrape time.
 */
export class MessageCounters {
  readonly requestsIn = new Float64Array(COUNTED_METHODS.length);
  readonly requestsOut = new Float64Array(COUNTED_METHODS.length);
  /** `[method * 6 + class]`. */
  readonly responsesIn = new Float64Array(COUNTED_METHODS.length * STATUS_CLASSES.length);
  readonly responsesOut = new Float64Array(COUNTED_METHODS.length * STATUS_CLASSES.length);
  /** Messages sent again from bytes kept by a transaction (timers A, E, G and request retransmissions answered). */
  retransmissionsOut = 0;

  /** A request counted by method alone: one a screen took before it was parsed. */
  receivedRequest(method: string): void {
    this.requestsIn[methodIndex(method)]!++;
  }

  /** A response counted by its request's method and status: one a screen sent as bytes. */
  sentResponseTo(method: string, status: number): void {
    this.responsesOut[methodIndex(method) * STATUS_CLASSES.length + classIndex(status)]!++;
  }

  received(message: SipRequest | SipResponse): void {
    if (message.isRequest) this.requestsIn[methodIndex((message as SipRequest).method)]!++;
    else this.responsesIn[responseMethodIndex(message as SipResponse) * STATUS_CLASSES.length + classIndex((message as SipResponse).status)]!++;
  }

  sentRequest(request: SipRequest): void {
    this.requestsOut[methodIndex(request.method)]!++;
  }

  sentResponse(response: SipResponse): void {
    this.responsesOut[responseMethodIndex(response) * STATUS_CLASSES.length + classIndex(response.status)]!++;
  }
}
