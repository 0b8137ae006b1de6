import { B2buaCall, type B2buaState } from '../b2bua/index.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import type { SipActivityHost } from './sip-activity-host.js';
import { sipUriProblem } from './sip-uri-schema.js';
import { B2buaStateChangedEventType } from './sip-event-types.js';

/** A bridged call (third-party call control) as an activity: its state changes arrive as events on it. */
export class B2buaActivity {
  private constructor(
    readonly handle: string,
    readonly call: B2buaCall,
  ) {}

  get state(): B2buaState {
    return this.call.state;
  }

  hangup(): void {
    this.call.hangup();
  }

  /**
   * @internal SipProvider.bridge(). The addresses are checked here, in the
   * caller's handler, so that a bad one fails that handler (rolled back and
   * alarmed by the SLEE) instead of the call failing later out of anyone's reach.
   */
  static start(host: SipActivityHost, a: string, b: string, from?: string): B2buaActivity {
    for (const [role, address] of [
      ['a', a],
      ['b', b],
      ['from', from],
    ] as const) {
      const problem = address === undefined ? null : sipUriProblem(address);
      if (problem !== null) throw new SleetError(ErrorCode.SIP_PARSE, `cannot bridge: ${role} ${JSON.stringify(address)} is not a SIP URI: ${problem}`);
    }
    const call = new B2buaCall(host.stack, a, b, from);
    const activity = new B2buaActivity(host.nextHandle('b2bua'), call);
    host.startActivity(activity.handle, activity);
    // 'terminated' is reported from 'ended', which carries the reason (the call emits it right after the state).
    call.on('state', (state) => {
      if (state !== 'terminated') host.fire(activity.handle, B2buaStateChangedEventType, { call: activity, state, reason: null });
    });
    call.on('ended', (reason) => {
      host.fire(activity.handle, B2buaStateChangedEventType, { call: activity, state: 'terminated', reason });
      host.endActivity(activity.handle);
    });
    // Started after the listeners so that no state change is missed.
    queueMicrotask(() => call.start());
    return activity;
  }
}
