import 'reflect-metadata';

export { SleetError } from '../base/errors/sleet-error.js';
export { ErrorCode } from '../base/errors/error-codes.js';

export { Sbb } from './component-model/sbb.decorator.js';
export { Service } from './component-model/service.decorator.js';
export { EventHandler } from './component-model/event-handler.decorator.js';
export { InitialEvent } from './component-model/initial-event.decorator.js';
export { Cmp } from './component-model/cmp.decorator.js';
export { ChildRelation } from './component-model/child-relation.decorator.js';
export { UsageParameters } from './component-model/usage-parameters.decorator.js';
export { RaLink } from './component-model/ra-link.decorator.js';
export { Injectable } from './component-model/injectable.decorator.js';
export { defineEventType, type EventType, type EventTypeId } from './component-model/event-type.js';
export type { ComponentId } from './component-model/component-id.js';
export type { InitialEventSelector, InitialEventSelectVariable } from './component-model/initial-event-select.js';

export { ActivityContextInterface } from './activity/activity-context-interface.js';
export type { ActivityEvent, ActivityOf } from './activity/activity-of.js';
export { ActivityContextInterfaceFactory } from './activity/activity-context-interface-factory.js';
export { ActivityEndEventType, type ActivityEndEvent } from './activity/activity-end-event.js';
export { ServiceStartedEventType, type ServiceStartedEvent, type ServiceActivity } from './activity/service-started-event.js';
export type { NullActivity } from './activity/null-activity.js';

export { SbbContext, type FireOptions } from './entity/sbb-context.js';
export type { SbbLocalObject, SbbLocal } from './entity/sbb-local-object.js';
export type { ChildRelationView as ChildRelationOf } from './entity/child-relation-view.js';

export { EventContext } from './router/event-context.js';

export { TimerFacility } from './facilities/timer/timer-facility.js';
export { TimerEventType, type TimerEvent } from './facilities/timer/timer-event.js';
export type { TimerOptions, PreserveMissed } from './facilities/timer/timer-options.js';
export type { TimerBackend } from './facilities/timer/timer-backend.js';
export { BullTimerBackend, type BullTimerBackendOptions } from './facilities/timer/bull-timer-backend.js';
export type { TimerRecord } from './facilities/timer/timer-record.js';
export { Tracer } from './facilities/trace/tracer.js';
export { TraceLevel, type TraceLevelName } from './facilities/trace/trace-level.js';
export { AlarmFacility } from './facilities/alarm/alarm-facility.js';
export type { AlarmLevel } from './facilities/alarm/alarm-level.js';
export type { Alarm } from './facilities/alarm/alarm.js';
export { Usage } from './facilities/usage/usage.js';
export {
  NO_METRICS,
  type MetricRegistry,
  type MetricFamily,
  type MetricSample,
  type MetricSource,
  type MetricType,
  type ValueSample,
  type HistogramSample,
} from './facilities/metrics/metric-registry.js';
export { ActivityContextNamingFacility } from './facilities/naming/activity-context-naming-facility.js';
export { NullActivityFactory } from './facilities/null-activity/null-activity-factory.js';

export type { SleeTransaction } from './transaction/slee-transaction.js';
export type { TransactionParticipant } from './transaction/transaction-participant.js';

export type { ResourceAdaptor, ConfigProperties } from './resource-adaptor/resource-adaptor.js';
export type { ResourceAdaptorContext } from './resource-adaptor/resource-adaptor-context.js';
export type { Admission } from './overload/admission.js';
export { DEFAULT_OVERLOAD_SETTINGS, type OverloadSettings } from './overload/overload-settings.js';
export type { SleeEndpoint, FireEventOptions } from './resource-adaptor/slee-endpoint.js';

export type { Clock } from '../base/clock/clock.js';
export { SystemClock } from '../base/clock/system-clock.js';
export { FakeClock } from '../base/clock/fake-clock.js';

export { Slee, type SleeOptions } from './container/slee.js';
export type { SleeState, ServiceState } from './container/slee-state.js';
export type { SbbFacilityBinding } from './container/sbb-facility-binding.js';
