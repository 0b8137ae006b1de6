import { parseMessage, type SipRequest, type SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import {
  isReliable,
  type MessageReceiver,
  type MessageSource,
  type SendResult,
  type SipTransport,
  type TransportProtocol,
  type TransportTarget,
  type ResponseDestination,
} from '../../../resource-adaptors/sip/transport/transport-types.js';

export interface SentRecord {
  message: SipRequest | SipResponse;
  /** Clock time of the send, when the transport was given a clock. */
  at: number;
  target?: TransportTarget;
  source?: MessageSource;
}

/** In-memory SipTransport: records what the transaction layer sends and lets tests inject messages. */
export class FakeTransport implements SipTransport {
  readonly sent: SentRecord[] = [];
  failSends = false;
  private receiver?: MessageReceiver;

  constructor(private readonly now: () => number = () => 0) {}

  setReceiver(receiver: MessageReceiver): void {
    this.receiver = receiver;
  }

  sendRequest(request: SipRequest, target: TransportTarget): Promise<SendResult> {
    this.sent.push({ message: request, target, at: this.now() });
    if (this.failSends) return Promise.reject(new Error('unreachable'));
    return Promise.resolve({
      transport: target.transport,
      reliable: isReliable(target.transport),
      remoteAddress: target.host,
      remotePort: target.port ?? 5060,
    });
  }

  sendResponse(response: SipResponse, source?: MessageSource): Promise<SendResult> {
    this.sent.push({ message: response, source, at: this.now() });
    if (this.failSends) return Promise.reject(new Error('unreachable'));
    const transport = source?.transport ?? 'UDP';
    return Promise.resolve({
      transport,
      reliable: isReliable(transport),
      remoteAddress: source?.remoteAddress ?? '127.0.0.1',
      remotePort: source?.remotePort ?? 5060,
    });
  }

  /** Records the bytes as the message they are, as a peer would see them. */
  resend(bytes: Buffer, destination: ResponseDestination, source?: MessageSource): Promise<SendResult> {
    const message = parseMessage(bytes);
    const target: TransportTarget = { transport: destination.transport, host: destination.host, port: destination.port };
    this.sent.push({ message, target, at: this.now(), ...(source === undefined ? {} : { source }) });
    if (this.failSends) return Promise.reject(new Error('unreachable'));
    return Promise.resolve({
      transport: destination.transport,
      reliable: isReliable(destination.transport),
      remoteAddress: destination.host,
      remotePort: destination.port,
    });
  }

  inject(message: SipRequest | SipResponse, transport: TransportProtocol = 'UDP'): void {
    this.receiver!(message, source(transport));
  }

  /** Times at which messages matching `pick` were sent. */
  times(pick: (m: SipRequest | SipResponse) => boolean): number[] {
    return this.sent.filter((r) => pick(r.message)).map((r) => r.at);
  }

  requests(method?: string): SipRequest[] {
    return this.sent.map((r) => r.message).filter((m): m is SipRequest => m.isRequest && (method === undefined || (m as SipRequest).method === method));
  }

  responses(status?: number): SipResponse[] {
    return this.sent.map((r) => r.message).filter((m): m is SipResponse => !m.isRequest && (status === undefined || (m as SipResponse).status === status));
  }
}

function source(transport: TransportProtocol = 'UDP'): MessageSource {
  return { transport, remoteAddress: '127.0.0.1', remotePort: 5070, localAddress: '127.0.0.1', localPort: 5060 };
}

/** Lets promise callbacks (send results) run, as the real transport's would. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
