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
  /**
   * Undefined when it is where `source` came from, as for most responses:
   * the server transaction keeps its source anyway, and a destination of
   * its own would be three more objects waiting out Timer J.
   */
  private readonly destination: ResponseDestination | undefined;

  constructor(message: SipMessage, destination: ResponseDestination, source?: MessageSource) {
    this.text = message.toBuffer().toString('latin1');
    this.destination = source !== undefined && isSourceOf(destination, source) ? undefined : destination;
  }

  /** The same bytes again; `source` as for `SipTransport.resend`, and the one given to the constructor when it was. */
  send(transport: SipTransport, source?: MessageSource): Promise<SendResult> {
    return transport.resend(Buffer.from(this.text, 'latin1'), this.destination ?? destinationOf(source!), source);
  }
}

function isSourceOf(destination: ResponseDestination, source: MessageSource): boolean {
  return (
    destination.transport === source.transport &&
    destination.host === source.remoteAddress &&
    destination.port === source.remotePort &&
    destination.connectionId === source.connectionId
  );
}

function destinationOf(source: MessageSource): ResponseDestination {
  const destination: ResponseDestination = { transport: source.transport, host: source.remoteAddress, port: source.remotePort };
  if (source.connectionId !== undefined) destination.connectionId = source.connectionId;
  return destination;
}
