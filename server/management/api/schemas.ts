import { z } from 'zod';

/**
 * The records every management surface exchanges. The in-process model
 * returns these types, the REST server documents them in OpenAPI and the
 * typed client infers its results from them: one definition, four surfaces.
 */

export const componentIdSchema = z.object({ name: z.string(), vendor: z.string(), version: z.string() });

/** `name:vendor:version`, vendor and version optional when only one installed component matches. */
export const componentRefSchema = z
  .string()
  .min(1)
  .regex(/^[^:]+(:[^:]*){0,2}$/, 'expected name[:vendor[:version]]');

export const sleeStateSchema = z.enum(['STOPPED', 'STARTING', 'RUNNING', 'STOPPING']);
export const serviceStateSchema = z.enum(['INACTIVE', 'ACTIVE', 'STOPPING']);
export const raEntityStateSchema = z.enum(['INACTIVE', 'ACTIVE', 'STOPPING']);
export const traceLevelSchema = z.enum(['OFF', 'SEVERE', 'WARNING', 'INFO', 'CONFIG', 'FINE', 'FINER', 'FINEST']);
const alarmLevelSchema = z.enum(['CLEAR', 'CRITICAL', 'MAJOR', 'WARNING', 'INDETERMINATE', 'MINOR']);

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

const configValueSchema = z.union([z.string(), z.number(), z.boolean()]);
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

const profileAttributeSchema = z.object({
  name: z.string(),
  kind: z.string(),
  array: z.boolean(),
  unique: z.boolean(),
  indexed: z.boolean(),
  required: z.boolean(),
  /** The allowed values of an enum attribute. */
  values: z.array(z.string()).optional(),
  /** The value a new profile gets when it supplies none. */
  default: z.unknown().optional(),
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

const queryOperandSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.object({ param: z.string() })]);

export type QueryExpressionInput =
  | {
      op: 'equals' | 'notEquals' | 'lessThan' | 'lessThanOrEquals' | 'greaterThan' | 'greaterThanOrEquals' | 'hasPrefix' | 'longestPrefixMatch';
      attribute: string;
      value: z.infer<typeof queryOperandSchema>;
    }
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
const sampleStatisticsSchema = z.object({ count: z.number(), min: z.number(), max: z.number(), mean: z.number(), sum: z.number() });
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
  /** One activity in full (not in lists): the ids of the SBB entities attached to it. */
  entities: z.array(z.string()).optional(),
  /** One activity in full: the ids of the timers set on it. */
  timerIds: z.array(z.string()).optional(),
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

export const cdrSchema = z.object({
  callId: z.string(),
  caller: z.string(),
  callee: z.string(),
  /** The final target after forwarding: the Request-URI of the last INVITE sent on. */
  target: z.string().nullable(),
  /** `name:vendor:version` of the service that answered the INVITE. */
  service: z.string().nullable(),
  /** Epoch milliseconds. */
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number(),
  durationMs: z.number(),
  status: z.number(),
  endReason: z.enum(['caller-hangup', 'callee-hangup', 'cancelled', 'rejected', 'redirected', 'failed', 'challenged', 'expired']),
  node: z.string(),
  entity: z.string(),
});
export type CdrRecord = z.infer<typeof cdrSchema>;

/** An instant as epoch milliseconds or an ISO-8601 date-time. */
const instantSchema = z
  .string()
  .min(1)
  .transform((text, ctx) => {
    const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(value)) {
      ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO-8601 date-time' });
      return z.NEVER;
    }
    return value;
  });

export const cdrQuerySchema = z.object({
  /** Calls started at or after this instant. */
  from: instantSchema.optional(),
  /** Calls started before this instant. */
  to: instantSchema.optional(),
  /** A caller, callee or target containing this text. */
  user: z.string().optional(),
  limit: z.coerce.number<number>().int().min(1).max(100_000).default(1000),
});

export const messageTraceSettingsSchema = z
  .object({
    /** `off`, every message, the messages of one user (From or To), or of one Call-ID. */
    scope: z.enum(['off', 'all', 'user', 'call']),
    /** `bob` (the user part) or `sip:bob@example.com`; for scope `user`. */
    user: z.string().min(1).optional(),
    /** For scope `call`. */
    callId: z.string().min(1).optional(),
    /** `log`: full messages in the node's log; `file`: a file under `<data-dir>/traces`. */
    output: z.enum(['log', 'file']).default('log'),
    /** For `file`: pcap-ng (Wireshark) or HEP-ready JSON lines. */
    format: z.enum(['pcapng', 'hep']).default('pcapng'),
    /** A file name (no directories) under `<data-dir>/traces`; default `sip-<time>.pcapng` or `.hep.jsonl`. */
    file: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'a plain file name')
      .optional(),
  })
  .superRefine((s, ctx) => {
    if (s.scope === 'user' && s.user === undefined) ctx.addIssue({ code: 'custom', path: ['user'], message: 'scope user needs user' });
    if (s.scope === 'call' && s.callId === undefined) ctx.addIssue({ code: 'custom', path: ['callId'], message: 'scope call needs callId' });
  });
export type MessageTraceSettings = z.output<typeof messageTraceSettingsSchema>;

export const messageTraceStatusSchema = z.object({
  scope: z.enum(['off', 'all', 'user', 'call']),
  user: z.string().nullable(),
  callId: z.string().nullable(),
  output: z.enum(['log', 'file']),
  format: z.enum(['pcapng', 'hep']),
  /** The file being written (or last written), when the output is a file. */
  file: z.string().nullable(),
  /** Messages traced since this trace was switched on. */
  messages: z.number(),
  /** Epoch ms when it was switched on; null while off. */
  startedAt: z.number().nullable(),
});
export type MessageTraceStatus = z.infer<typeof messageTraceStatusSchema>;

/** A node of the cluster, as it advertises itself in Redis (server/cluster/node-advert.ts). */
export const clusterNodeSchema = z.object({
  id: z.string(),
  state: z.enum(['open', 'draining']),
  calls: z.number(),
  version: z.string(),
  sip: z.string(),
  management: z.string(),
  startedAt: z.number(),
  seenAt: z.number(),
  /** How much of the cluster's deployment log the node has applied, and its last failure to apply an entry. */
  deployment: z.object({ revision: z.number(), error: z.string().optional() }).optional(),
});
export type ClusterNodeInfo = z.infer<typeof clusterNodeSchema>;
