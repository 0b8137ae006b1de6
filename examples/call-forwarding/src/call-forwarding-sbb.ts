import { Cmp, InitialEvent, RaLink, Sbb, Service, TimerFacility, Tracer, type ActivityContextInterface, type TimerEvent } from 'sleet';
import { ProfileFacility } from 'sleet/profiles';
import { LocationService, aorOf } from 'sleet/sbbs';
import type { ProxyResponseEvent, ServerTransactionActivity, SipProvider, SipRequestEvent } from 'sleet/sip';
import { DiversionChain, diversionHeader, type DiversionReason } from './diversion-chain.js';
import { FORWARDING_TABLE, type ForwardingRules } from './forwarding-rule-profile.js';
import { forwardingTargets } from './forwarding-targets.js';

/**
 * Forwards calls to subscribers with rules in the `forwarding` table:
 * unconditionally (CFU), on busy (CFB, a 486), on no answer (CFNR, a SLEE
 * timer) and when unreachable (CFNRc: no registration, or 408/480). It
 * proxies such calls itself, holding the final response so it can forward
 * instead; callees without rules are left to the location proxy (10).
 * Each forward adds an RFC 5806 Diversion header; a forward that would go
 * back into the chain or past MAX_DIVERSIONS is refused (482 for CFU,
 * otherwise the callee's own failure goes upstream).
 */
@Service({ name: 'CallForwarding', vendor: 'sleet', version: '1.0', priority: 40 })
@Sbb()
export class CallForwardingSbb {
  @Cmp() callee = '';
  @Cmp() busyTarget = '';
  @Cmp() noAnswerTarget = '';
  @Cmp() unreachableTarget = '';
  @Cmp() noAnswerTimer = '';
  @Cmp() forwarded = false;

  private readonly location: LocationService;

  constructor(
    private readonly profiles: ProfileFacility,
    private readonly timers: TimerFacility,
    private readonly tracer: Tracer,
    @RaLink('sip') private readonly sip: SipProvider,
  ) {
    this.location = new LocationService(profiles);
  }

  @InitialEvent({ select: ['ActivityContext'] })
  async onInvite(event: SipRequestEvent, aci: ActivityContextInterface): Promise<void> {
    const transaction = event.transaction;
    if (transaction === null || transaction.isAnswered) return;
    const callee = aorOf(event.request.uri);
    if (callee === undefined) return;
    const rules = (await this.profiles.findByAddress<ForwardingRules>(FORWARDING_TABLE, callee))?.values;
    if (rules === undefined || transaction.isAnswered) return;
    this.callee = callee;
    this.busyTarget = rules.busy ?? '';
    this.noAnswerTarget = rules.noAnswer ?? '';
    this.unreachableTarget = rules.unreachable ?? '';
    if (rules.unconditional) {
      await this.forwardUnconditionally(transaction, rules.unconditional);
      return;
    }
    const contacts = (await this.location.lookup(callee)).map((b) => ({ uri: b.contact, q: b.q }));
    if (transaction.isAnswered) return;
    if (contacts.length === 0) {
      const targets = await this.divert(transaction, this.unreachableTarget, 'unavailable');
      // Not forwardable: the location proxy answers 480 for the unregistered callee.
      if (targets.length > 0) transaction.proxyTo(targets, { holdFinalResponse: true });
      return;
    }
    transaction.proxyTo(contacts, { holdFinalResponse: true });
    if (this.noAnswerTarget) this.noAnswerTimer = this.timers.setTimer(aci, { delay: (rules.noAnswerSeconds ?? 20) * 1000 });
  }

  /** CFNR: the callee rang too long; cancel its branches and try the no-answer target. */
  async onTimer(_event: TimerEvent, aci: ActivityContextInterface): Promise<void> {
    this.noAnswerTimer = '';
    const transaction = aci.activity as ServerTransactionActivity;
    const proxy = transaction.proxy;
    if (this.forwarded || proxy === null || proxy.isCompleted) return;
    const targets = await this.divert(transaction, this.noAnswerTarget, 'no-answer');
    if (targets.length === 0 || proxy.isCompleted) return;
    proxy.cancelAll();
    for (const target of targets) proxy.addTarget(target);
  }

  /** CFB and CFNRc on the callee's final response; anything else goes upstream as it is. */
  async onProxyFinalResponse(event: ProxyResponseEvent): Promise<void> {
    if (this.noAnswerTimer) {
      this.timers.cancelTimer(this.noAnswerTimer);
      this.noAnswerTimer = '';
    }
    const status = event.response.status;
    const proxy = event.transaction.proxy;
    if (this.forwarded || proxy === null) return;
    const [target, reason]: [string, DiversionReason] =
      status === 486 ? [this.busyTarget, 'user-busy'] : status === 408 || status === 480 ? [this.unreachableTarget, 'unavailable'] : ['', 'unavailable'];
    for (const uri of await this.divert(event.transaction, target, reason)) proxy.addTarget(uri);
  }

  private async forwardUnconditionally(transaction: ServerTransactionActivity, target: string): Promise<void> {
    const refusal = DiversionChain.of(transaction.request).refusal(this.callee, target);
    if (refusal !== undefined) {
      transaction.respond(482, { reason: refusal === 'loop' ? 'Loop Detected' : 'Too Many Diversions' });
      return;
    }
    const targets = await this.divert(transaction, target, 'unconditional');
    if (transaction.isAnswered) return;
    if (targets.length === 0) transaction.respond(480);
    else transaction.proxyTo(targets, { holdFinalResponse: true });
  }

  /**
   * The URIs to forward to, with the Diversion header added to the request
   * the next branches copy; none when there is no target, it is not
   * reachable, or the chain forbids it.
   */
  private async divert(transaction: ServerTransactionActivity, target: string, reason: DiversionReason): Promise<string[]> {
    if (!target) return [];
    const refusal = DiversionChain.of(transaction.request).refusal(this.callee, target);
    if (refusal !== undefined) {
      this.tracer.info(`not forwarding ${this.callee} to ${target}: ${refusal}`);
      return [];
    }
    const targets = await forwardingTargets(this.sip, this.location, target);
    if (targets.length === 0) return [];
    transaction.request.add('Diversion', diversionHeader(this.callee, reason), true);
    this.forwarded = true;
    this.tracer.info(`forwarding ${this.callee} to ${target} (${reason})`);
    return targets;
  }
}
