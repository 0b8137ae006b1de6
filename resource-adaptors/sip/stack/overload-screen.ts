import type { Clock } from '../../../base/clock/clock.js';
import { RFC3261_BRANCH_PREFIX, Via } from '../message/index.js';
import { scanRequestHead, type RequestHead } from '../message/request-head.js';
import { isNewWork } from '../transaction/is-new-work.js';
import { rfc3261ServerKey } from '../transaction/transaction-keys.js';
import type { DatagramScreen, MessageSource, ScreenedDatagram } from '../transport/index.js';
import { stampVia, viaDestination } from '../transport/index.js';
import { setOverloadControl } from './add-overload-control.js';
import type { SipAdmission } from './sip-admission.js';
import { StatelessTags } from './stateless-tags.js';

/** How long after a refusal its ACK may still come: Timer H's 64·T1, the longest a UAC keeps re-sending one. */
const ACK_WINDOW_MS = 32_000;
/** Larger datagrams take the full path, which fits a response that would not fit one. */
const MAX_SCREENED_BYTES = 16_384;
/** The reason phrase of every overload refusal, made here or after a full parse. */
export const OVERLOAD_REASON = 'Service Unavailable - overloaded';

function isAck(data: Buffer): boolean {
  return data[0] === 0x41 && data[1] === 0x43 && data[2] === 0x4b && data[3] === 0x20;
}

export interface OverloadScreenOptions {
  admission: SipAdmission;
  clock: Clock;
  /** See `TransactionLayer.hasServerTransaction`. */
  hasServerTransaction: (key: string) => boolean;
  /** False while every message must be parsed (a message trace is on). */
  enabled?: () => boolean;
}

/**
 * Overload control's cheap path: while admission control sheds, a new
 * out-of-dialog request is refused with a stateless 503 built from its
 * head (`scanRequestHead`) without parsing the message, and the ACK for
 * one of our refusals is dropped by its To tag before it is parsed. A
 * shed request then costs a scan of its header lines, not a parse, a
 * transaction lookup and a built response. What the scan cannot vouch
 * for, a retransmission of a request that has a transaction, and every
 * request admitted go the full path; a request admitted here is not asked
 * about again there (`admittedEarlier`).
 */
export class OverloadScreen {
  readonly stats = { refused: 0, acksAbsorbed: 0 };
  readonly tags = new StatelessTags();
  private admitted: MessageSource | undefined;
  private lastRefusalAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: OverloadScreenOptions) {}

  readonly screen: DatagramScreen = (data, source) => {
    this.admitted = undefined;
    if (data.length > MAX_SCREENED_BYTES) return undefined;
    // Outside an overload and its ACKs' window this is all a datagram costs here.
    const ack = isAck(data);
    if (ack ? this.clock.now() - this.lastRefusalAt >= ACK_WINDOW_MS : this.options.admission.rejectPercent() === 0) return undefined;
    if (this.options.enabled?.() === false) return undefined;
    return ack ? this.absorbAck(data) : this.refuse(data, source);
  };

  /** True once for the request the screen just admitted: the full path takes it without asking admission again. */
  admittedEarlier(source: MessageSource): boolean {
    if (this.admitted !== source) return false;
    this.admitted = undefined;
    return true;
  }

  /** A refusal the full path made: its ACK is dropped here too. */
  noteRefusal(): void {
    this.lastRefusalAt = this.clock.now();
  }

  private get clock(): Clock {
    return this.options.clock;
  }

  private absorbAck(data: Buffer): ScreenedDatagram | undefined {
    if (!this.tags.mayHoldTag(data)) return undefined;
    const head = scanRequestHead(data);
    if (head?.toTag === undefined) return undefined;
    const branch = head.topVia.branch;
    if (branch === undefined || head.toTag !== this.tags.tagFor(branch, head.callId)) return undefined;
    this.stats.acksAbsorbed++;
    return { method: 'ACK', reply: undefined, replyStatus: 0, replyAddress: '', replyPort: 0 };
  }

  private refuse(data: Buffer, source: MessageSource): ScreenedDatagram | undefined {
    const head = scanRequestHead(data);
    // An ACK never gets here: `screen` sent it to absorbAck by its first bytes.
    if (head === undefined || !isNewWork(head.method, head.toTag)) return undefined;
    const top = head.topVia;
    const branch = top.branch;
    if (branch === undefined || !branch.startsWith(RFC3261_BRANCH_PREFIX) || top.transport !== 'UDP' || top.params.has('maddr')) {
      return undefined;
    }
    if (this.options.hasServerTransaction(rfc3261ServerKey(branch, top, head.method))) return undefined;
    const admission = this.options.admission;
    if (admission.admit(head)) {
      this.admitted = source;
      return undefined;
    }
    stampVia(top, source);
    if (top.params.has('oc')) setOverloadControl(top, admission.rejectPercent(), this.clock.now());
    const destination = viaDestination(top, source);
    this.stats.refused++;
    this.noteRefusal();
    return {
      method: head.method,
      reply: this.refusal(head, top, this.tags.tagFor(branch, head.callId), admission.retryAfterSeconds()),
      replyStatus: 503,
      replyAddress: destination.host,
      replyPort: destination.port,
    };
  }

  /** RFC 3261 §8.2.6.2's copied headers, the request's own bytes but for the stamped top Via and the To tag. */
  private refusal(head: RequestHead, top: Via, tag: string, retryAfter: number): Buffer {
    let text = `SIP/2.0 503 ${OVERLOAD_REASON}\r\nVia: ${top.toString()}\r\n`;
    for (let i = 1; i < head.vias.length; i++) text += `Via: ${head.vias[i]}\r\n`;
    text += `From: ${head.from}\r\nTo: ${head.to};tag=${tag}\r\nCall-ID: ${head.callId}\r\nCSeq: ${head.cseq}\r\n`;
    text += `Retry-After: ${retryAfter}\r\nContent-Length: 0\r\n\r\n`;
    return Buffer.from(text, 'latin1');
  }
}
