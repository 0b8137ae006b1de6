import type { B2buaBridge, BridgeOptions, BridgeState } from '../b2bua/index.js';

/** What an SBB may ask of a bridge: all of BridgeOptions but the targets, given apart. */
export type BridgeRequestOptions = Omit<BridgeOptions, 'targets'>;

/**
 * A caller's INVITE bridged by the B2BUA (B2buaBridge) to outbound legs,
 * as an activity (ServerTransactionActivity.bridgeTo): `BridgeAnswered`,
 * then `BridgeEnded`; or `BridgeFailed`. The activity ends after the last.
 */
export class BridgeActivity {
  /** @internal ServerTransactionActivity.bridgeTo(). */
  constructor(
    readonly handle: string,
    readonly bridge: B2buaBridge,
  ) {}

  get state(): BridgeState {
    return this.bridge.state;
  }

  /** Before an answer: CANCELs the legs, the caller gets 480. After: BYE on both legs. */
  hangup(): void {
    this.bridge.hangup();
  }
}
