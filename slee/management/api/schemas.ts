import { z } from 'zod';

/**
 * The records every management surface exchanges. The in-process model
 * returns these types, the REST server documents them in OpenAPI and the
 * typed client infers its results from them: one definition, four surfaces.
 */

export const componentIdSchema = z.object({ name: z.string(), vendor: z.string(), version: z.string() });
export type ComponentIdRecord = z.infer<typeof componentIdSchema>;

/** `name:vendor:version`, vendor and version optional when only one installed component matches. */
export const componentRefSchema = z.string().min(1).regex(/^[^:]+(:[^:]*){0,2}$/, 'expected name[:vendor[:version]]');

export const sleeStateSchema = z.enum(['STOPPED', 'STARTING', 'RUNNING', 'STOPPING']);
export const serviceStateSchema = z.enum(['INACTIVE', 'ACTIVE', 'STOPPING']);
export const raEntityStateSchema = z.enum(['INACTIVE', 'ACTIVE', 'STOPPING']);
export const traceLevelSchema = z.enum(['OFF', 'SEVERE', 'WARNING', 'INFO', 'CONFIG', 'FINE', 'FINER', 'FINEST']);
export const alarmLevelSchema = z.enum(['CLEAR', 'CRITICAL', 'MAJOR', 'WARNING', 'INDETERMINATE', 'MINOR']);

export const sleeInfoSchema = z.object({
  state: sleeStateSchema,
  stats: z.object({
    eventsFired: z.number(),
    eventsDelivered: z.number(),
    handlerFailures: z.number(),
    /** Deliveries run again because their commit lost to a concurrent one. */
    transactionRetries: z.number(),
    entitiesCreated: z.number(),
    entitiesRemoved: z.number(),
    activitiesStarted: z.number(),
    activitiesEnded: z.number(),
  }),
  activities: z.number(),
  sbbEntities: z.number(),
});
export type SleeInfo = z.infer<typeof sleeInfoSchema>;

export const serviceInfoSchema = z.object({
  id: componentIdSchema,
  state: serviceStateSchema,
  priority: z.number(),
  rootEntities: z.number(),
});
export type ServiceInfo = z.infer<typeof serviceInfoSchema>;

export const configValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export const configPropertiesSchema = z.record(z.string(), configValueSchema);

export const raTypeInfoSchema = z.object({
  id: componentIdSchema,
  configProperties: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['string', 'number', 'boolean']),
      default: configValueSchema.optional(),
      description: z.string().optional(),
    }),
  ),
});
export type RaTypeInfo = z.infer<typeof raTypeInfoSchema>;

export const raEntityInfoSchema = z.object({
  name: z.string(),
  /** Null for entities created in process without a registered type. */
  type: componentIdSchema.nullable(),
  state: raEntityStateSchema,
  config: configPropertiesSchema,
  activities: z.number(),
});
export type RaEntityInfo = z.infer<typeof raEntityInfoSchema>;

export const linkInfoSchema = z.object({ link: z.string(), entity: z.string() });
export type LinkInfo = z.infer<typeof linkInfoSchema>;

export const deployableUnitSchema = z.looseObject({ id: z.string() });
export type DeployableUnitRecord = z.infer<typeof deployableUnitSchema>;
export const deployedComponentSchema = z.looseObject({});
export type DeployedComponentRecord = z.infer<typeof deployedComponentSchema>;

export const profileAttributeSchema = z.object({
  name: z.string(),
  kind: z.string(),
  array: z.boolean(),
  unique: z.boolean(),
  indexed: z.boolean(),
  required: z.boolean(),
});

export const profileTableSchema = z.object({
  name: z.string(),
  spec: z.string(),
  attributes: z.array(profileAttributeSchema),
  addressAttribute: z.string().nullable(),
  queries: z.array(z.string()),
});
export type ProfileTableRecord = z.infer<typeof profileTableSchema>;

export const profileValuesSchema = z.record(z.string(), z.unknown());
export const profileSchema = z.object({ table: z.string(), name: z.string(), values: profileValuesSchema });
export type ProfileRecordOut = z.infer<typeof profileSchema>;

export const queryOperandSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.object({ param: z.string() })]);

export type QueryExpressionInput =
  | { op: 'equals' | 'notEquals' | 'lessThan' | 'lessThanOrEquals' | 'greaterThan' | 'greaterThanOrEquals' | 'hasPrefix' | 'longestPrefixMatch'; attribute: string; value: z.infer<typeof queryOperandSchema> }
  | { op: 'range'; attribute: string; from: z.infer<typeof queryOperandSchema>; to: z.infer<typeof queryOperandSchema> }
  | { op: 'and' | 'or'; operands: QueryExpressionInput[] }
  | { op: 'not'; operand: QueryExpressionInput };

/** JSLEE's dynamic query operators as JSON. */
export const queryExpressionSchema: z.ZodType<QueryExpressionInput> = z.lazy(() =>
  z.union([
    z.object({
      op: z.enum(['equals', 'notEquals', 'lessThan', 'lessThanOrEquals', 'greaterThan', 'greaterThanOrEquals', 'hasPrefix', 'longestPrefixMatch']),
      attribute: z.string(),
      value: queryOperandSchema,
    }),
    z.object({ op: z.literal('range'), attribute: z.string(), from: queryOperandSchema, to: queryOperandSchema }),
    z.object({ op: z.enum(['and', 'or']), operands: z.array(queryExpressionSchema).min(1) }),
    z.object({ op: z.literal('not'), operand: queryExpressionSchema }),
  ]),
);

export const queryParamsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const alarmSchema = z.object({
  id: z.string(),
  source: z.string(),
  type: z.string(),
  instanceId: z.string(),
  level: alarmLevelSchema,
  message: z.string(),
  cause: z.string().optional(),
  raisedAt: z.number(),
});
export type AlarmRecord = z.infer<typeof alarmSchema>;

export const traceLevelRecordSchema = z.object({ source: z.string(), tracer: z.string(), level: traceLevelSchema });
export type TraceLevelRecord = z.infer<typeof traceLevelRecordSchema>;

export const usageSetRefSchema = z.object({ source: z.string(), set: z.string() });
export const sampleStatisticsSchema = z.object({ count: z.number(), min: z.number(), max: z.number(), mean: z.number(), sum: z.number() });
export const usageSnapshotSchema = z.object({
  source: z.string(),
  set: z.string(),
  counters: z.record(z.string(), z.number()),
  samples: z.record(z.string(), sampleStatisticsSchema),
});
export type UsageSnapshotRecord = z.infer<typeof usageSnapshotSchema>;

export const usageThresholdSchema = z.object({
  id: z.string(),
  source: z.string(),
  set: z.string(),
  counter: z.string(),
  threshold: z.number(),
});
export type UsageThresholdRecord = z.infer<typeof usageThresholdSchema>;

export const activityInfoSchema = z.object({
  id: z.string(),
  handle: z.string(),
  owner: z.string().nullable(),
  state: z.enum(['active', 'ending', 'ended']),
  attachedEntities: z.number(),
  names: z.array(z.string()),
  timers: z.number(),
  queuedEvents: z.number(),
});
export type ActivityInfo = z.infer<typeof activityInfoSchema>;

export const sbbEntitySummarySchema = z.object({
  id: z.string(),
  sbb: componentIdSchema,
  service: componentIdSchema,
  parent: z.string().nullable(),
  priority: z.number(),
  attachments: z.number(),
});
export type SbbEntitySummary = z.infer<typeof sbbEntitySummarySchema>;

export const sbbEntityInfoSchema = z.object({
  id: z.string(),
  sbb: componentIdSchema,
  service: componentIdSchema,
  parent: z.string().nullable(),
  relation: z.string().nullable(),
  convergenceName: z.string().nullable(),
  priority: z.number(),
  cmp: z.record(z.string(), z.unknown()),
  children: z.record(z.string(), z.array(z.string())),
  attachments: z.array(z.string()),
});
export type SbbEntityInfo = z.infer<typeof sbbEntityInfoSchema>;

export const okSchema = z.object({ ok: z.literal(true) });
export const countSchema = z.object({ count: z.number() });
