import { Injectable, RaLink, Tracer } from 'sleet';
import { ProfileFacility } from 'sleet/profiles';
import { LocationService } from 'sleet/sbbs';
import type { ServerTransactionActivity, SipProvider } from 'sleet/sip';
import { DiversionChain, diversionHeader, type DiversionReason } from './diversion-chain.js';
import { FORWARDING_TABLE, type ForwardingRules } from './forwarding-rule-profile.js';
import { forwardingTargets } from './forwarding-targets.js';

/** Forwarded calls are proxied with their final response held, so that a failure can be forwarded in turn. */
const HOLD = { holdFinalResponse: true };

/**
 * What call forwarding does to one call, given the callee's address of
 * record: reads its rules, finds where it is registered, and forwards,
 * adding an RFC 5806 Diversion header and refusing forwards that would go
 * back into the chain or past MAX_DIVERSIONS. Injected into the SBB, which
 * keeps the call's state.
 */
@Injectable()
export class Forwarder {
  constructor(
    private readonly profiles: ProfileFacility,
    private readonly location: LocationService,
    private readonly tracer: Tracer,
    @RaLink('sip') private readonly sip: SipProvider,
  ) {}

  async rulesOf(callee: string): Promise<ForwardingRules | undefined> {
    return (await this.profiles.findByAddress<ForwardingRules>(FORWARDING_TABLE, callee))?.values;
  }

  /** Proxies the call to the callee's registered contacts (q-ordered); false when it has none. */
  async proxyToContacts(transaction: ServerTransactionActivity, callee: string): Promise<boolean> {
    const contacts = (await this.location.lookup(callee)).map((b) => ({ uri: b.contact, q: b.q }));
    if (contacts.length > 0) transaction.proxyTo(contacts, HOLD);
    return contacts.length > 0;
  }

  /** CFU: 482 when the chain forbids it, 480 when the target is unreachable; true when forwarded. */
  async forwardUnconditionally(transaction: ServerTransactionActivity, callee: string, target: string): Promise<boolean> {
    const refusal = DiversionChain.of(transaction.request).refusal(callee, target);
    if (refusal !== undefined) {
      transaction.respond(482, { reason: refusal === 'loop' ? 'Loop Detected' : 'Too Many Diversions' });
      return false;
    }
    if (await this.forward(transaction, callee, target, 'unconditional')) return true;
    transaction.respond(480);
    return false;
  }

  /** Proxies the call to `target` when it may be forwarded there; false (nothing done) otherwise. */
  async forward(transaction: ServerTransactionActivity, callee: string, target: string | null | undefined, reason: DiversionReason): Promise<boolean> {
    const targets = await this.divert(transaction, callee, target, reason);
    if (targets.length > 0) transaction.proxyTo(targets, HOLD);
    return targets.length > 0;
  }

  /** Adds the forward's targets to the call being proxied, once its ringing branches are cancelled if asked; true when forwarded. */
  async redirect(
    transaction: ServerTransactionActivity,
    callee: string,
    target: string | null | undefined,
    reason: DiversionReason,
    cancelBranches = false,
  ): Promise<boolean> {
    const targets = await this.divert(transaction, callee, target, reason);
    const proxy = transaction.proxy;
    if (targets.length === 0 || proxy === null || proxy.isCompleted) return false;
    if (cancelBranches) proxy.cancelAll();
    for (const uri of targets) proxy.addTarget(uri);
    return true;
  }

  /**
   * The URIs to forward to, with the Diversion header added to the request
   * the next branches copy; none when there is no target, it is not
   * reachable, or the chain forbids it.
   */
  private async divert(transaction: ServerTransactionActivity, callee: string, target: string | null | undefined, reason: DiversionReason): Promise<string[]> {
    if (!target) return [];
    const refusal = DiversionChain.of(transaction.request).refusal(callee, target);
    if (refusal !== undefined) {
      this.tracer.info(`not forwarding ${callee} to ${target}: ${refusal}`);
      return [];
    }
    const targets = await forwardingTargets(this.sip, this.location, target);
    if (targets.length === 0) return [];
    transaction.request.add('Diversion', diversionHeader(callee, reason), true);
    this.tracer.info(`forwarding ${callee} to ${target} (${reason})`);
    return targets;
  }
}
