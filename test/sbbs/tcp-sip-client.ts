import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseMessage, SipResponse, type SipRequest } from '../../resource-adaptors/sip/message/index.js';

/**
 * A bare SIP user agent over one TCP connection to a Sleet under test: it
 * sends requests and waits for their final responses, and queues the
 * requests it receives, answering them only when told. Its connection can
 * be dropped like a phone losing its network.
 */
export class TcpSipClient {
  private buffer = Buffer.alloc(0);
  private readonly waiting: Array<(response: SipResponse) => void> = [];
  private readonly received: SipRequest[] = [];
  private readonly arrivals: Array<(request: SipRequest) => void> = [];
  private cseq = 0;
  /** ACKs received so far. */
  acks = 0;
  readonly callId = randomBytes(8).toString('hex');

  private constructor(private readonly socket: Socket) {
    socket.on('data', (data) => this.onData(data));
  }

  static open(port: number): Promise<TcpSipClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new TcpSipClient(socket)));
      socket.once('error', reject);
    });
  }

  get port(): number {
    return this.socket.localPort!;
  }

  /** A REGISTER for `user` with an RFC 5626 Contact for this connection (unless `contact` is given) and any extra header lines. */
  registerText(user: string, domain: string, o: { instance?: string; regId?: number; contact?: string; extra?: string[]; expires?: number }): string {
    const params = [o.instance === undefined ? '' : `;+sip.instance="<urn:uuid:${o.instance}>"`, o.regId === undefined ? '' : `;reg-id=${o.regId}`].join('');
    const contact = o.contact ?? `<sip:${user}@127.0.0.1:${this.port};transport=tcp;ob>${params}`;
    return [
      `REGISTER sip:${domain} SIP/2.0`,
      `Via: SIP/2.0/TCP 127.0.0.1:${this.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      `From: <sip:${user}@${domain}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:${user}@${domain}>`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${++this.cseq} REGISTER`,
      'Max-Forwards: 70',
      `Contact: ${contact}`,
      ...(o.expires === undefined ? [] : [`Expires: ${o.expires}`]),
      ...(o.extra ?? []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  /** Sends one request and resolves with its final response. */
  send(text: string): Promise<SipResponse> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.write(text);
    });
  }

  /** Requests received and not yet taken by `nextRequest`. */
  get queued(): number {
    return this.received.length;
  }

  /** The next request the server sent us (already received or yet to come). */
  nextRequest(): Promise<SipRequest> {
    const queued = this.received.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  reply(request: SipRequest, status: number, reason: string, headers: Record<string, string | string[]> = {}): void {
    const response = SipResponse.fromRequest(request, status, reason, 'uas');
    for (const [name, value] of Object.entries(headers)) response.set(name, value);
    this.socket.write(response.toBuffer());
  }

  /** Drops the connection (an RST, as when a phone loses its network) and resolves once our side is closed. */
  drop(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.resetAndDestroy();
    });
  }

  private onData(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\n(?:Content-Length|l)\s*:\s*(\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1] ?? 0);
      if (this.buffer.length < end + 4 + length) return;
      const message = parseMessage(this.buffer.subarray(0, end + 4 + length));
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (message instanceof SipResponse) {
        if (message.status >= 200) this.waiting.shift()?.(message);
      } else if (message.method === 'ACK') {
        // ACKs are only counted: no test waits for one in particular.
        this.acks++;
      } else {
        const arrival = this.arrivals.shift();
        if (arrival !== undefined) arrival(message);
        else this.received.push(message);
      }
    }
  }
}
