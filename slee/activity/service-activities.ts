import type { ServiceRuntime } from '../container/service-runtime.js';
import type { ActivityLifecycle } from './activity-lifecycle.js';
import { ServiceStartedEventType, type ServiceActivity } from './service-started-event.js';

const SERVICE_ACTIVITY_OWNER = 'slee:service';

/** Each active service's own activity, on which it alone receives ServiceStartedEvent. */
export class ServiceActivities {
  constructor(private readonly lifecycle: ActivityLifecycle) {}

  /** Starts the service's activity and fires ServiceStarted on it, for that service only. */
  started(runtime: ServiceRuntime): void {
    this.stopped(runtime);
    const activity: ServiceActivity = { service: runtime.model.id };
    const ac = this.lifecycle.start(SERVICE_ACTIVITY_OWNER, `${runtime.key}@${this.lifecycle.handleNumber()}`, activity);
    runtime.serviceActivity = ac;
    this.lifecycle.fire(ac, ServiceStartedEventType, { service: runtime.model.id }, null, runtime.model.id);
  }

  /** Ends the service's activity, if it has one. */
  stopped(runtime: ServiceRuntime): void {
    const ac = runtime.serviceActivity;
    runtime.serviceActivity = null;
    if (ac && ac.state === 'active') this.lifecycle.end(ac);
  }
}
