/** What the webhook receives for each state change of a call; `seq` counts the call's changes from 1. */
export interface CallStateChange {
  id: string;
  seq: number;
  state: string;
  reason: string | null;
}
