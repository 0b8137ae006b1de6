import { ActivityContextInterfaceFactory, InitialEvent, Sbb, Service, Tracer } from 'sleet';
import { ProfileFacility } from 'sleet/profiles';
import { aorOf, LocationService } from 'sleet/sbbs';
import type { BridgeAnsweredEvent, BridgeFailedEvent, SipRequestEvent } from 'sleet/sip';
import { NO_ANSWER_TABLE, type NoAnswerRuleProfile } from './no-answer-rule-profile.js';

/**
 * Call forwarding on no answer (CFNR) as a B2BUA: the callee's contact
 * rings for the rule's seconds, then the bridge CANCELs it and calls the
 * forwarding target; the caller keeps one dialog with Sleet throughout.
 * One call to `bridgeTo` does it: serial forking with a ring timeout.
 */
@Service({ name: 'NoAnswerBridge', vendor: 'sleet', version: '1.0' })
@Sbb()
export class NoAnswerBridgeSbb {
  constructor(
    private readonly profiles: ProfileFacility,
    private readonly location: LocationService,
    private readonly acis: ActivityContextInterfaceFactory,
    private readonly tracer: Tracer,
  ) {}

  @InitialEvent()
  async onInvite({ request, transaction }: SipRequestEvent): Promise<void> {
    const callee = aorOf(request.uri);
    const rule = callee === undefined ? undefined : (await this.profiles.findByAddress<NoAnswerRuleProfile>(NO_ANSWER_TABLE, callee))?.values;
    const [contact] = callee === undefined ? [] : await this.location.lookup(callee);
    if (rule === undefined || contact === undefined) return; // not ours: the default answer (or another service) takes it
    const bridge = transaction.bridgeTo([contact.contact, rule.target], { forking: 'serial', ringTimeout: rule.seconds * 1000 });
    this.acis.getActivityContextInterface(bridge).attach();
  }

  onBridgeAnswered({ callee }: BridgeAnsweredEvent): void {
    this.tracer.info(`answered by ${callee}`);
  }

  onBridgeFailed({ status }: BridgeFailedEvent): void {
    this.tracer.info(`no one answered: ${status}`);
  }
}
