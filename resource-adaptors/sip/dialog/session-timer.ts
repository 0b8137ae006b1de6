import type { Clock, TimerHandle } from '../../../base/clock/clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { buildResponse } from './build-response.js';

/** What a session timer needs of its dialog; an interface so that this file need not import dialog.ts, which imports it. */
interface TimedDialog {
  readonly localTag: string;
  readonly state: string;
  readonly isTerminated: boolean;
  sessionTimer?: SessionTimer;
  respond(tx: ServerTransaction, status: number): unknown;
  sendRequest(
    method: string,
    options: { headers: Record<string, string>; body?: Buffer | string; contentType?: string; onResponse: (response: SipResponse) => void },
  ): unknown;
  bye(options: object, reason: 'session-expired'): unknown;
}

/** RFC 4028 session timers, opted into per stack (`SipStackOptions.sessionTimers`). */
export interface SessionTimerOptions {
  /** Seconds: what we ask for as UAC and grant at most as UAS. Default 1800 (RFC 4028 §4's recommendation). */
  sessionExpires?: number;
  /** Seconds: the shortest session we accept (Min-SE, 422 below it). Default and floor 90 (§5). */
  minSE?: number;
  /** Tests only: lets `minSE` go below 90 s, so a session can expire in seconds. */
  allowShortMinSE?: boolean;
}

type TransactionRole = 'uac' | 'uas';
interface SessionInterval {
  interval: number;
  refresher: TransactionRole | undefined;
}

const RFC_MIN_SE = 90;
const DEFAULT_SESSION_EXPIRES = 1800;
/** A refresh re-INVITE that must wait for another INVITE of the dialog tries again this much later (ms). */
const REFRESH_RETRY_MS = 1000;

/** `delta-seconds *(;se-params)` (§4); a malformed value counts as absent. */
function sessionExpiresOf(message: SipMessage): SessionInterval | undefined {
  const value = message.get('Session-Expires');
  if (value === undefined) return undefined;
  const [delta = '', ...params] = value.split(';');
  const interval = Number(delta.trim());
  if (!Number.isInteger(interval) || interval <= 0) return undefined;
  let refresher: TransactionRole | undefined;
  for (const param of params) {
    const [name = '', v = ''] = param.split('=').map((s) => s.trim().toLowerCase());
    if (name === 'refresher' && (v === 'uac' || v === 'uas')) refresher = v;
  }
  return { interval, refresher };
}

function minSEOf(message: SipMessage): number | undefined {
  const value = Number(message.get('Min-SE')?.split(';')[0]?.trim());
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function supportsTimer(message: SipMessage): boolean {
  return [...message.getAll('Supported'), ...message.getAll('Require')].some((tag) => tag.toLowerCase() === 'timer');
}

function allowsUpdate(message: SipMessage): boolean {
  return message.getAll('Allow').some((method) => method.toUpperCase() === 'UPDATE');
}

/**
 * The stack's session timer policy (RFC 4028): what our INVITEs ask for,
 * which intervals we refuse with 422, what our 2xx grant, and the
 * per-dialog `SessionTimer` each negotiated session runs.
 */
export class SessionTimers {
  readonly sessionExpires: number;
  readonly minSE: number;

  constructor(
    private readonly clock: Clock,
    options: SessionTimerOptions,
  ) {
    this.minSE = options.minSE ?? RFC_MIN_SE;
    this.sessionExpires = Math.max(options.sessionExpires ?? DEFAULT_SESSION_EXPIRES, this.minSE);
    if (!Number.isInteger(this.minSE) || this.minSE < 1 || (this.minSE < RFC_MIN_SE && options.allowShortMinSE !== true)) {
      throw new SleetError(ErrorCode.SIP_DIALOG, `session timer minSE ${this.minSE} is below RFC 4028's 90 s (allowShortMinSE is for tests only)`);
    }
  }

  /** §7.1: a dialog-creating INVITE asks for our interval, unless the application already named one. */
  offer(request: SipRequest, minSE = this.minSE): void {
    if (!request.has('Session-Expires')) request.set('Session-Expires', String(Math.max(this.sessionExpires, minSE)));
    if (!request.has('Min-SE')) request.set('Min-SE', String(minSE));
    if (!supportsTimer(request)) request.add('Supported', 'timer');
  }

  /**
   * §7.3: the INVITE to send after a 422, asking for the Min-SE it named
   * (same Call-ID and From tag, next CSeq, new branch); undefined when the
   * 422 names nothing larger than we asked for.
   */
  retryAfter422(request: SipRequest, response: SipResponse): SipRequest | undefined {
    const wanted = minSEOf(response);
    const asked = sessionExpiresOf(request)?.interval ?? 0;
    if (wanted === undefined || wanted <= asked) return undefined;
    const retry = request.clone();
    retry.remove('Via');
    retry.set('CSeq', `${request.cseq.seq + 1} INVITE`);
    retry.set('Session-Expires', String(wanted));
    retry.set('Min-SE', String(wanted));
    return retry;
  }

  /**
   * §9: a request whose Session-Expires is below our Min-SE is answered 422
   * when the UAC supports timer (it will retry); one that does not gets
   * the interval raised instead, since it would not understand 422.
   */
  refuses(request: SipRequest): boolean {
    const asked = sessionExpiresOf(request);
    return asked !== undefined && asked.interval < this.minSE && supportsTimer(request);
  }

  /** The 422 for a request `refuses` refused. */
  refusal(request: SipRequest, toTag: string): SipResponse {
    return buildResponse(request, 422, { toTag, headers: { 'Min-SE': String(this.minSE) } });
  }

  /**
   * §9: what the 2xx to an INVITE or UPDATE grants: the asked interval (at
   * most ours, at least both Min-SEs) or ours when none was asked, and the
   * refresher: the UAC's choice, else the UAC when it supports timer and
   * asked, else us (a UAC without timer support cannot refresh on purpose).
   */
  grant(request: SipRequest): { interval: number; refresher: TransactionRole; require: boolean } {
    const asked = sessionExpiresOf(request);
    const floor = Math.max(this.minSE, minSEOf(request) ?? 0);
    const interval = Math.max(floor, Math.min(asked?.interval ?? this.sessionExpires, this.sessionExpires));
    const supported = supportsTimer(request);
    const refresher: TransactionRole = !supported ? 'uas' : (asked?.refresher ?? (asked === undefined ? 'uas' : 'uac'));
    return { interval, refresher, require: supported };
  }

  /** @internal Dialog.respond: a 2xx to an INVITE or UPDATE is about to go out; adds our headers, then (re)starts the timer. */
  answering(dialog: TimedDialog, request: SipRequest, headers: Record<string, string | string[]>, body: Buffer | string | undefined): () => void {
    const granted = this.grant(request);
    headers['Session-Expires'] = `${granted.interval};refresher=${granted.refresher}`;
    if (granted.require) headers['Require'] = 'timer';
    return () => {
      const timer = this.timerOf(dialog);
      if (request.method === 'INVITE' && request.to.tag === undefined) timer.peerAllowsUpdate = allowsUpdate(request);
      if (request.method === 'INVITE' && body !== undefined) timer.localSdp = body;
      timer.start(granted.interval, granted.refresher === 'uas');
    };
  }

  /**
   * @internal Dialog.receiveRequest: true when the request was dealt with
   * here: a refresh below our Min-SE (422), or a bodiless UPDATE in a
   * session with a timer, which is only a refresh (answered 200 with the
   * negotiated Session-Expires, without troubling the application).
   */
  intercept(dialog: TimedDialog, request: SipRequest, tx: ServerTransaction): boolean {
    if (request.method !== 'INVITE' && request.method !== 'UPDATE') return false;
    if (this.refuses(request)) {
      tx.respond(this.refusal(request, dialog.localTag));
      return true;
    }
    if (request.method === 'UPDATE' && request.body.length === 0 && dialog.sessionTimer !== undefined && dialog.state === 'confirmed') {
      dialog.respond(tx, 200);
      return true;
    }
    return false;
  }

  /** @internal DialogLayer: our INVITE got its 2xx; a Session-Expires in it starts the session timer (§7.2). */
  established(dialog: TimedDialog, request: SipRequest, response: SipResponse): void {
    const granted = sessionExpiresOf(response);
    if (granted === undefined) return;
    const timer = this.timerOf(dialog);
    timer.peerAllowsUpdate = allowsUpdate(response);
    if (request.body.length > 0) timer.localSdp = request.body;
    timer.start(granted.interval, (granted.refresher ?? 'uac') === 'uac');
  }

  private timerOf(dialog: TimedDialog): SessionTimer {
    if (dialog.sessionTimer === undefined) dialog.sessionTimer = new SessionTimer(dialog, this.clock);
    return dialog.sessionTimer;
  }
}

/**
 * One dialog's session timer (RFC 4028 §10): the refresher sends a
 * refresh at half the interval (UPDATE when the peer allows it, else a
 * re-INVITE with the SDP we last sent); without a refresh the session ends
 * with a BYE at expiry minus min(32, interval/3) seconds.
 */
export class SessionTimer {
  /** Seconds, as last negotiated. */
  interval = 0;
  /** Who refreshes: this side (`local`) or the peer. */
  refresher: 'local' | 'remote' = 'remote';
  /** @internal */
  peerAllowsUpdate = false;
  /** @internal */
  localSdp?: Buffer | string;
  private refreshTimer?: TimerHandle;
  private expiryTimer?: TimerHandle;

  constructor(
    private readonly dialog: TimedDialog,
    private readonly clock: Clock,
  ) {}

  /** @internal (Re)starts the interval after a 2xx to a session refresh, sent or received. */
  start(interval: number, weRefresh: boolean): void {
    this.stop();
    if (this.dialog.isTerminated) return;
    this.interval = interval;
    this.refresher = weRefresh ? 'local' : 'remote';
    if (weRefresh) this.refreshTimer = this.clock.schedule((interval * 1000) / 2, () => this.refresh());
    // The refresher keeps the expiry too: a refresh that fails without 408/481 still ends the session.
    this.expiryTimer = this.clock.schedule((interval - Math.min(32, interval / 3)) * 1000, () => this.expire());
  }

  stop(): void {
    if (this.refreshTimer !== undefined) this.clock.cancel(this.refreshTimer);
    if (this.expiryTimer !== undefined) this.clock.cancel(this.expiryTimer);
    this.refreshTimer = undefined;
    this.expiryTimer = undefined;
  }

  private refresh(): void {
    this.refreshTimer = undefined;
    const method = this.peerAllowsUpdate ? 'UPDATE' : 'INVITE';
    const withSdp = method === 'INVITE' && this.localSdp !== undefined;
    try {
      this.sendRefresh(method, withSdp);
    } catch (err) {
      // RFC 3261 §14.1: no re-INVITE while another INVITE is in progress; a 2xx to that one restarts the timer, else we try again.
      if (!SleetError.is(err, ErrorCode.SIP_REINVITE_PENDING)) throw err;
      this.refreshTimer = this.clock.schedule(REFRESH_RETRY_MS, () => this.refresh());
    }
  }

  private sendRefresh(method: string, withSdp: boolean): void {
    this.dialog.sendRequest(method, {
      headers: { 'Session-Expires': `${this.interval};refresher=uac`, Supported: 'timer' },
      ...(withSdp ? { body: this.localSdp, contentType: 'application/sdp' } : {}),
      onResponse: (response) => {
        if (response.status < 200 || response.status >= 300) return;
        // A 2xx without Session-Expires comes from a peer without timer support: we keep refreshing (§7.2).
        const granted = sessionExpiresOf(response);
        this.start(granted?.interval ?? this.interval, (granted?.refresher ?? 'uac') === 'uac');
      },
    });
  }

  private expire(): void {
    this.expiryTimer = undefined;
    this.stop();
    if (!this.dialog.isTerminated) this.dialog.bye({}, 'session-expired');
  }
}
