import type { Clock, TimerHandle } from '../../../base/clock/clock.js';
import { addressOfRecord, uriAddress, type SipRequest, type SipResponse } from '../message/index.js';
import type { WireMessage } from '../transport/transport-types.js';
import type { CallEndReason, CallRecord, RegistrationRecord } from './call-record.js';

export interface CallTrackerOptions {
  /** Schedules the wait for a challenged INVITE's retry. */
  clock: Clock;
  /** Epoch ms for the records' times; default Date.now (the stack's clock may be monotonic). */
  now?: () => number;
  onCall(record: CallRecord): void;
  onRegistration?(record: RegistrationRecord): void;
  /** How long a challenged INVITE (401/407) waits for its authenticated retry before it is recorded as challenged; default 32 s. */
  challengeWaitMs?: number;
  /** Calls followed at once; past it the oldest is recorded as expired (a BYE never seen). Default 100,000. */
  maxCalls?: number;
}

/** REGISTERs waiting for their final response. */
const MAX_PENDING_REGISTERS = 10_000;

interface OpenCall {
  readonly callId: string;
  readonly caller: string;
  readonly callee: string;
  readonly fromTag: string | undefined;
  readonly startedAt: number;
  target: string | null;
  service: string | null;
  answeredAt: number | null;
  status: number;
  cancelled: boolean;
  /** Waiting for the retry of a challenged INVITE. */
  challengeTimer: TimerHandle | null;
}

/**
 * Follows call attempts from the messages the node receives and sends (a
 * transport `WireObserver`), as an accounting module in a proxy does: an
 * incoming INVITE opens a call, the INVITEs sent on name its target, the
 * final response sent back decides it, a BYE ends an answered one. A
 * challenge (401/407) keeps the attempt open for its authenticated retry,
 * which has the same Call-ID. Finished REGISTERs are reported too.
 */
export class CallTracker {
  private readonly calls = new Map<string, OpenCall>();
  private readonly registers = new Map<string, { aor: string; contacts: string[]; expires: number | null; source: string }>();
  private readonly challengeWaitMs: number;
  private readonly maxCalls: number;
  private readonly now: () => number;

  constructor(private readonly options: CallTrackerOptions) {
    this.now = options.now ?? Date.now;
    this.challengeWaitMs = options.challengeWaitMs ?? 32_000;
    this.maxCalls = options.maxCalls ?? 100_000;
  }

  /** Calls not finished yet. */
  get open(): number {
    return this.calls.size;
  }

  /** Drops an attempt refused before it became a call (overload control): no record is made of it. A challenged one stays open for its retry. */
  forget(callId: string): void {
    const call = this.calls.get(callId);
    if (call !== undefined && call.challengeTimer === null && call.answeredAt === null) this.calls.delete(callId);
  }

  /** The SLEE says which service answered a call's INVITE. */
  decided(callId: string, service: string): void {
    const call = this.calls.get(callId);
    if (call !== undefined && call.service === null) call.service = service;
  }

  readonly observe = (wire: WireMessage): void => {
    const message = wire.message;
    if (message === undefined) return;
    if (message.isRequest) this.request(message as SipRequest, wire);
    else if (wire.direction === 'out') this.response(message as SipResponse);
  };

  /** Records every open call as it stands (the node is stopping). */
  close(): void {
    for (const call of [...this.calls.values()]) this.finish(call, call.status || 0, 'expired');
  }

  private request(request: SipRequest, wire: WireMessage): void {
    const method = request.method;
    if (method !== 'INVITE' && method !== 'BYE' && method !== 'CANCEL' && method !== 'REGISTER') return;
    // The call is looked up before the To is read: a forwarded BYE (its call ended by the BYE received) is a copy whose To no one else parses.
    const call = this.calls.get(request.callId);
    if (method === 'BYE') {
      if (call !== undefined && call.answeredAt !== null && request.to.tag !== undefined)
        this.finish(call, call.status, request.from.tag === call.fromTag ? 'caller-hangup' : 'callee-hangup');
      return;
    }
    if (wire.direction === 'out') {
      // Before the answer every INVITE sent is initial: no re-INVITE may start while the INVITE is in progress
      // (RFC 3261 §14.1). Asking the To for a tag instead would parse the forwarded copy's To a second time.
      if (method === 'INVITE' && call !== undefined && call.answeredAt === null) call.target = request.uri.toString();
      return;
    }
    if (method === 'CANCEL') {
      if (call !== undefined) call.cancelled = true;
    } else if (method === 'REGISTER') {
      // A REGISTER never answered (dropped as malformed) must not be kept for ever: the oldest pending goes first.
      if (this.registers.size >= MAX_PENDING_REGISTERS) this.registers.delete(this.registers.keys().next().value!);
      this.registers.set(`${request.callId}\u0000${request.cseq.seq}`, {
        aor: addressOfRecord(request.to.uri),
        contacts: request.contacts.map((c) => c.uri.toString()),
        expires: request.expires ?? null,
        source: `${wire.remoteAddress}:${wire.remotePort}`,
      });
    } else if (request.to.tag === undefined) {
      this.invite(request, call);
    }
  }

  private invite(request: SipRequest, call: OpenCall | undefined): void {
    if (call !== undefined) {
      // The authenticated retry of a challenged INVITE continues the attempt; a retransmission changes nothing.
      if (call.challengeTimer !== null) {
        this.options.clock.cancel(call.challengeTimer);
        call.challengeTimer = null;
        call.service = null;
      }
      return;
    }
    if (this.calls.size >= this.maxCalls) {
      const oldest = this.calls.values().next().value!;
      this.finish(oldest, oldest.status, 'expired');
    }
    this.calls.set(request.callId, {
      callId: request.callId,
      caller: uriAddress(request.from.uri),
      callee: uriAddress(request.to.uri),
      fromTag: request.from.tag,
      startedAt: this.now(),
      target: null,
      service: null,
      answeredAt: null,
      status: 0,
      cancelled: false,
      challengeTimer: null,
    });
  }

  private response(response: SipResponse): void {
    const status = response.status;
    if (status < 200) return;
    const cseq = response.cseq;
    if (cseq.method === 'REGISTER') {
      const key = `${response.callId}\u0000${cseq.seq}`;
      const pending = this.registers.get(key);
      if (pending === undefined) return;
      this.registers.delete(key);
      if (status !== 401 && status !== 407)
        this.options.onRegistration?.({ callId: response.callId, ...pending, expires: grantedExpiry(response, pending.contacts) ?? pending.expires, status });
      return;
    }
    if (cseq.method !== 'INVITE') return;
    const call = this.calls.get(response.callId);
    if (call === undefined || call.answeredAt !== null || call.challengeTimer !== null) return;
    call.status = status;
    if (status < 300) {
      call.answeredAt = this.now();
      return;
    }
    if (status === 401 || status === 407) {
      call.challengeTimer = this.options.clock.schedule(this.challengeWaitMs, () => this.finish(call, status, 'challenged'));
      return;
    }
    this.finish(
      call,
      status,
      call.cancelled && status === 487 ? 'cancelled' : status < 400 ? 'redirected' : status < 500 || status >= 600 ? 'rejected' : 'failed',
    );
  }

  private finish(call: OpenCall, status: number, endReason: CallEndReason): void {
    if (this.calls.get(call.callId) !== call) return;
    this.calls.delete(call.callId);
    if (call.challengeTimer !== null) this.options.clock.cancel(call.challengeTimer);
    const endedAt = this.now();
    this.options.onCall({
      callId: call.callId,
      caller: call.caller,
      callee: call.callee,
      target: call.target,
      service: call.service,
      startedAt: call.startedAt,
      answeredAt: call.answeredAt,
      endedAt,
      durationMs: call.answeredAt === null ? 0 : endedAt - call.answeredAt,
      status,
      endReason,
    });
  }
}

/** The expiry a registrar granted the request's contacts, from the Contact parameters of its 2xx (RFC 3261 §10.3 step 8). */
function grantedExpiry(response: SipResponse, contacts: readonly string[]): number | null {
  if (response.status >= 300 || contacts.length === 0) return null;
  const granted = response.contacts.find((c) => contacts.includes(c.uri.toString()))?.params.get('expires');
  return granted === undefined || granted === null ? null : Number(granted);
}
