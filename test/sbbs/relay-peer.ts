import { createSocket, type Socket } from 'node:dgram';
import { parseMessage, type SipMessage, type SipRequest, type SipResponse } from '../../resource-adaptors/sip/message/index.js';

/**
 * A raw UDP SIP peer bound to a loopback address: sends hand-written
 * messages and keeps every message it receives, for tests that must see a
 * message arrive, or see that nothing did.
 */
export class RelayPeer {
  readonly received: SipMessage[] = [];
  private waiters: Array<() => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (data) => {
      try {
        this.received.push(parseMessage(data));
      } catch {
        return;
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(address: string): Promise<RelayPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => resolve());
    });
    return new RelayPeer(socket);
  }

  get address(): string {
    return this.socket.address().address;
  }

  get port(): number {
    return this.socket.address().port;
  }

  get requests(): SipRequest[] {
    return this.received.filter((m): m is SipRequest => m.isRequest);
  }

  send(text: string, port: number, address = '127.0.0.1'): void {
    this.socket.send(text.replace(/\r?\n/g, '\r\n'), port, address);
  }

  /** The first message after `from` (an index into `received`) that matches, within `ms`. */
  async next<T extends SipMessage>(match: (m: SipMessage) => m is T, ms = 5000, from = 0): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.received.slice(from).find(match);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.address}:${this.port} received nothing matching within ${ms} ms; last received: ${this.lastSeen()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The start line and Call-ID of the last few messages, for a failure to name what came instead. */
  private lastSeen(): string {
    const last = this.received.slice(-6).map((m) => `${m.isRequest ? (m as SipRequest).method : (m as SipResponse).status} (${m.callId})`);
    return last.length === 0 ? 'nothing' : last.join(', ');
  }

  /** The final response to the request with this Call-ID and CSeq method, received after index `from`. */
  finalResponse(callId: string, method: string, ms = 5000, from = 0): Promise<SipResponse> {
    return this.next((m): m is SipResponse => !m.isRequest && m.callId === callId && m.cseq.method === method && (m as SipResponse).status >= 200, ms, from);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
