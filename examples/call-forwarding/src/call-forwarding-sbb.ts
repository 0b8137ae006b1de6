import { Cmp, InitialEvent, Sbb, Service, TimerFacility, type ActivityContextInterface, type TimerEvent } from 'sleet';
import { aorOf } from 'sleet/sbbs';
import type { ProxyResponseEvent, ServerTransactionActivity, SipRequestEvent } from 'sleet/sip';
import { targetOnFailure, type ForwardingRules } from './forwarding-rule-profile.js';
import { Forwarder } from './forwarder.js';

type NoAnswerTimer = TimerEvent<undefined, ServerTransactionActivity>;

/**
 * Forwards calls to subscribers with rules in the `forwarding` table: unconditionally (CFU), on busy (CFB, 486),
 * on no answer (CFNR, a timer) and when unreachable (CFNRc: unregistered, or 408/480). It proxies those calls
 * itself, holding the final response to forward instead; callees without rules are left to the location proxy.
 */
@Service({ name: 'CallForwarding', vendor: 'sleet', version: '1.0', priority: 40, skipAnswered: true })
@Sbb()
export class CallForwardingSbb {
  @Cmp() callee = '';
  @Cmp() rules: ForwardingRules | null = null;
  @Cmp() noAnswerTimer = '';
  @Cmp() forwarded = false;

  constructor(
    private readonly forwarder: Forwarder,
    private readonly timers: TimerFacility,
  ) {}

  @InitialEvent({ select: ['ActivityContext'] })
  async onInvite({ request, transaction }: SipRequestEvent, aci: ActivityContextInterface<SipRequestEvent>): Promise<void> {
    const callee = aorOf(request.uri);
    const rules = callee === undefined ? undefined : await this.forwarder.rulesOf(callee);
    if (callee === undefined || rules === undefined) return;
    [this.callee, this.rules] = [callee, rules];
    if (rules.unconditional) {
      this.forwarded = await this.forwarder.forwardUnconditionally(transaction, callee, rules.unconditional);
    } else if (await this.forwarder.proxyToContacts(transaction, callee)) {
      if (rules.noAnswer) this.noAnswerTimer = this.timers.setTimer(aci, { delay: (rules.noAnswerSeconds ?? 20) * 1000 });
    } else {
      // Unregistered: forwarded when it can be, else the location proxy answers 480.
      this.forwarded = await this.forwarder.forward(transaction, callee, rules.unreachable, 'unavailable');
    }
  }

  /** CFNR: the callee rang too long; cancel its branches and try the no-answer target. */
  async onTimer(_event: NoAnswerTimer, { activity: transaction }: ActivityContextInterface<NoAnswerTimer>): Promise<void> {
    this.noAnswerTimer = '';
    if (this.forwarded) return;
    this.forwarded = await this.forwarder.redirect(transaction, this.callee, this.rules?.noAnswer, 'no-answer', true);
  }

  /** CFB and CFNRc on the callee's final response; anything else goes upstream as it is. */
  async onProxyFinalResponse({ response, transaction }: ProxyResponseEvent): Promise<void> {
    if (this.noAnswerTimer) this.timers.cancelTimer(this.noAnswerTimer);
    this.noAnswerTimer = '';
    if (this.forwarded || this.rules === null) return;
    const [target, reason] = targetOnFailure(this.rules, response.status);
    this.forwarded = await this.forwarder.redirect(transaction, this.callee, target, reason);
  }
}
