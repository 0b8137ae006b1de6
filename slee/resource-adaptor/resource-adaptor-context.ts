import type { Clock } from '../../base/clock/clock.js';
import type { Tracer } from '../facilities/trace/tracer.js';
import type { AlarmFacility } from '../facilities/alarm/alarm-facility.js';
import type { UsageParameterSet } from '../facilities/usage/usage-parameter-set.js';
import type { SleeEndpoint } from './slee-endpoint.js';
import type { Admission } from '../overload/admission.js';
import type { MetricRegistry } from '../facilities/metrics/metric-registry.js';

/** What the SLEE gives a resource-adaptor entity. */
export interface ResourceAdaptorContext {
  readonly entityName: string;
  readonly endpoint: SleeEndpoint;
  readonly clock: Clock;
  readonly tracer: Tracer;
  readonly alarms: AlarmFacility;
  /** Ask before taking on new work; refuse it cheaply when the node is overloaded. */
  readonly admission: Admission;
  /** The entity's usage counters, for management to read. */
  usage(counters: string[], samples?: string[]): UsageParameterSet;
  /** Where the entity publishes its metrics (pulled at scrape time; see MetricRegistry). */
  readonly metrics: MetricRegistry;
}
