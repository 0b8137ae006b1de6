import type { SipMessage } from '../message/index.js';
import type { MessageSource, ResponseDestination, SendResult, SipTransport } from '../transport/transport-types.js';

/**
 * What a transaction in its wait state keeps of a message it sent, in place
 * of the parsed message, since RFC 3261 §17 only ever repeats it there: the
 * bytes and where they go. The bytes are held as a latin1 string, one flat
 * heap object of their length; the Buffer they were serialised into is
 * usually a slice of a shared 8 KB pool slab, which it would keep alive.
 */
export class WireCopy {
  private readonly text: string;

  constructor(
    message: SipMessage,
    readonly destination: ResponseDestination,
  ) {
    this.text = message.toBuffer().toString('latin1');
  }

  /** The same bytes again; `source` as for `SipTransport.resend`. */
  send(transport: SipTransport, source?: MessageSource): Promise<SendResult> {
    return transport.resend(Buffer.from(this.text, 'latin1'), this.destination, source);
  }
}
