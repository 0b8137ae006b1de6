import type { MessageSource } from './transport-types.js';

/** A datagram a screen took: counted as a request of `method`; `reply`, when set, leaves from the socket it arrived on. */
export interface ScreenedDatagram {
  method: string;
  reply: Buffer | undefined;
  replyStatus: number;
  replyAddress: string;
  replyPort: number;
}

/**
 * Looks at each UDP datagram before it is parsed (overload control's cheap
 * refusal); undefined lets it take the full path.
 */
export type DatagramScreen = (data: Buffer, source: MessageSource) => ScreenedDatagram | undefined;
