import {
  ActivityContextInterfaceFactory,
  InitialEvent,
  RaLink,
  Sbb,
  Service,
  TimerFacility,
  type ActivityContextInterface,
  type NullActivity,
  type TimerEvent,
} from 'sleet';
import type { DialogActivity, SipProvider, SipResponseEvent } from 'sleet/sip';
import { WAKE_UP_USER } from './wake-up-booking-sbb.js';
import type { HangUp, WakeUp } from './wake-up.js';

/** How long an answered wake-up call lasts before the service hangs up. */
export const WAKE_UP_CALL_LENGTH_MS = 3000;

/** A booked wake-up is due (on its null activity), or an answered wake-up call has lasted long enough (on its dialog). */
type WakeUpTimer = TimerEvent<WakeUp | HangUp | undefined, NullActivity | DialogActivity>;

/** An offer with no media (a=inactive): the call carries nothing, it only rings. */
const SILENT_OFFER = 'v=0\r\no=sleet 1 1 IN IP4 127.0.0.1\r\ns=wake-up call\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=inactive\r\n';

/**
 * Places wake-up calls. A booked timer's expiry is an initial event for it,
 * selected by the subscriber's address: on the booking's null activity
 * while the SLEE that booked it runs, on a fresh null activity after a
 * restart. It calls `payload.who` and hangs up an answered call after
 * WAKE_UP_CALL_LENGTH_MS.
 */
@Service({ name: 'WakeUpCall', vendor: 'sleet', version: '1.0' })
@Sbb({ name: 'WakeUpCallSbb', vendor: 'sleet', version: '1.0' })
export class WakeUpCallSbb {
  constructor(
    @RaLink('sip') private readonly sip: SipProvider,
    private readonly acif: ActivityContextInterfaceFactory,
    private readonly timers: TimerFacility,
  ) {}

  @InitialEvent({ select: ['Address'] })
  onTimer({ payload }: WakeUpTimer, aci: ActivityContextInterface<WakeUpTimer>) {
    const activity = aci.activity;
    if ('bye' in activity) return activity.bye();
    if (payload === undefined || !('who' in payload)) return aci.detach();
    // The wake-up's null activity has served its purpose: the call's own activities take over.
    activity.endActivity();
    const self = this.sip.contact().uri;
    const invite = this.sip.createRequest('INVITE', {
      to: payload.who,
      from: `sip:${WAKE_UP_USER}@${self.host}${self.port === undefined ? '' : `:${self.port}`}`,
      body: SILENT_OFFER,
      contentType: 'application/sdp',
    });
    this.acif.getActivityContextInterface(this.sip.invite(invite)).attach();
  }

  onSuccessResponse(event: SipResponseEvent) {
    if (event.dialog === null) return;
    const dialog = this.acif.getActivityContextInterface(event.dialog);
    dialog.attach();
    const hangUp: HangUp = { hangUp: true };
    this.timers.setTimer(dialog, { delay: WAKE_UP_CALL_LENGTH_MS, payload: hangUp });
  }
}
