import { Container, type Newable } from 'inversify';
import type { SbbComponent } from '../deployment/sbb-component.js';
import type { SbbObjectPool } from '../entity/sbb-object-pool.js';
import { SbbContext } from '../entity/sbb-context.js';
import type { SbbContextImpl } from '../entity/sbb-context-impl.js';
import { TimerFacility } from '../facilities/timer/timer-facility.js';
import { TimerFacilityView } from '../facilities/timer/timer-facility-view.js';
import { Tracer } from '../facilities/trace/tracer.js';
import { AlarmFacility, SourceAlarmFacility } from '../facilities/alarm/alarm-facility.js';
import { Usage } from '../facilities/usage/usage.js';
import { UsageView } from '../facilities/usage/usage-view.js';
import { ActivityContextNamingFacility } from '../facilities/naming/activity-context-naming-facility.js';
import { NamingFacilityView } from '../facilities/naming/naming-facility-view.js';
import { NullActivityFactory } from '../facilities/null-activity/null-activity-factory.js';
import { NullActivityFactoryView } from '../facilities/null-activity/null-activity-factory-view.js';
import { ActivityContextInterfaceFactory } from '../activity/activity-context-interface-factory.js';
import { AciFactoryView } from '../activity/aci-factory-view.js';
import { sbbNotificationSource } from '../facilities/notification-source.js';
import type { Kernel } from './kernel.js';
import type { ServiceRuntime } from './service-runtime.js';
import type { SbbFacilityBinding } from './sbb-facility-binding.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

/**
 * The DI container of one SBB in one service, child of the service's
 * container. Facilities are bound per pooled object, made from the context
 * of the object being constructed, so each knows its entity and transaction.
 */
export function createSbbContainer(
  kernel: Kernel,
  runtime: ServiceRuntime,
  component: SbbComponent,
  pool: () => SbbObjectPool,
  extra: readonly SbbFacilityBinding[],
): Container {
  const container = new Container({ parent: runtime.container });
  const source = sbbNotificationSource(runtime.model.id, component.id);
  const creating = (): SbbContextImpl => {
    const ctx = pool().creating;
    if (!ctx) throw new SleetError(ErrorCode.INVALID_STATE, `${component.id.name}: facilities can only be injected into the SBB object itself`);
    return ctx;
  };
  container.bind(SbbContext).toDynamicValue(creating);
  container.bind(TimerFacility).toDynamicValue(() => new TimerFacilityView(creating()));
  container.bind(ActivityContextNamingFacility).toDynamicValue(() => new NamingFacilityView(creating()));
  container.bind(NullActivityFactory).toDynamicValue(() => new NullActivityFactoryView(creating()));
  container.bind(ActivityContextInterfaceFactory).toDynamicValue(() => new AciFactoryView(creating()));
  container.bind(Tracer).toDynamicValue(() => kernel.traces.tracer(source));
  container.bind(AlarmFacility).toDynamicValue(() => new SourceAlarmFacility(kernel.alarms, source));
  container.bind(Usage).toDynamicValue(() => new UsageView(kernel.usage, source, component.usage.counters, component.usage.samples));
  for (const binding of extra) container.bind(binding.token).toDynamicValue(() => binding.create(creating()));
  for (const injectable of component.injectables) container.bind(injectable as unknown as Newable<object>).toSelf();
  container.bind(component.ctor as unknown as Newable<object>).toSelf();
  return container;
}
