import type { Logger } from 'pino';
import type { ServiceComponent } from '../deployment/service-component.js';

const serviceName = (s: ServiceComponent) => `${s.id.name}:${s.id.vendor}:${s.id.version}`;

/**
 * Says which service answered each event its resource adaptor can tell is
 * answered (a SIP request), and warns once about a service that receives
 * its initial events only after a higher-priority service has answered
 * them: a new service behind the demo's proxy otherwise sees `isAnswered`
 * and nothing says why.
 */
export class AnswerWatch {
  /** Services that answered an initial event themselves at least once. */
  private readonly answering = new Set<string>();
  private readonly warned = new Set<string>();

  constructor(private readonly logger: Logger) {}

  answered(eventKey: string, activityId: string, service: ServiceComponent): void {
    this.answering.add(service.key);
    this.logger.debug(
      { event: eventKey, activity: activityId, service: serviceName(service), priority: service.priority },
      `${eventKey} answered by ${serviceName(service)}`,
    );
  }

  /** `late`'s root got an initial event that `by` had answered already. */
  answeredBefore(eventKey: string, late: ServiceComponent, by: ServiceComponent): void {
    if (late.key === by.key || this.answering.has(late.key) || this.warned.has(late.key)) return;
    this.warned.add(late.key);
    this.logger.warn(
      { event: eventKey, service: serviceName(late), priority: late.priority, answeredBy: serviceName(by), answeredByPriority: by.priority },
      `service ${serviceName(late)} (priority ${late.priority}) gets ${eventKey} only after ${serviceName(by)} (priority ${by.priority}) has answered it; ` +
        `give ${late.id.name} a priority above ${by.priority} (@Service({ priority })) to answer first`,
    );
  }
}
