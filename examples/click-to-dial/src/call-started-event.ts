import { defineEventType } from 'sleet';

/** Fired by the POST handler on the new bridged call's activity: creates the call's own SBB entity. */
export interface CallStarted {
  readonly callId: string;
  readonly from: string;
  readonly to: string;
  readonly webhook: string | null;
}

export const CallStartedEvent = defineEventType<CallStarted>('sleet.examples.click-to-dial.CallStarted', {
  vendor: 'sleet',
  version: '1.0',
  short: 'CallStarted',
});
