import { z } from 'zod';
import type { OperationSpec } from './operation-spec.js';
import {
  activityInfoSchema,
  alarmSchema,
  componentRefSchema,
  configPropertiesSchema,
  countSchema,
  deployableUnitSchema,
  deployedComponentSchema,
  linkInfoSchema,
  okSchema,
  profileSchema,
  profileTableSchema,
  profileValuesSchema,
  queryExpressionSchema,
  queryParamsSchema,
  raEntityInfoSchema,
  raTypeInfoSchema,
  sbbEntityInfoSchema,
  sbbEntitySummarySchema,
  serviceInfoSchema,
  sleeInfoSchema,
  traceLevelRecordSchema,
  traceLevelSchema,
  usageSetRefSchema,
  usageSnapshotSchema,
  usageThresholdSchema,
} from './schemas.js';

const name = z.string().min(1);
const service = z.object({ service: componentRefSchema });
const entity = z.object({ entity: name });
const table = z.object({ table: name });
const tableProfile = z.object({ table: name, profile: name });
const format = z.object({ format: z.enum(['csv', 'json']).default('json') });
const usageSet = z.object({ source: name, set: z.string().default('') });

const op = <S extends OperationSpec>(spec: S): S => spec;

/**
 * Every management operation. The REST routes, the OpenAPI document, the
 * typed client's methods and the CLI are all driven by this table.
 */
export const operations = {
  // ---- SLEE ----
  sleeGet: op({ method: 'GET', path: '/slee', tag: 'slee', summary: 'The SLEE state and counters', response: sleeInfoSchema }),
  sleeStart: op({ method: 'POST', path: '/slee/start', tag: 'slee', summary: 'Start the SLEE (STOPPED → RUNNING)', response: sleeInfoSchema }),
  sleeStop: op({ method: 'POST', path: '/slee/stop', tag: 'slee', summary: 'Stop the SLEE (RUNNING → STOPPED), ending live activities', response: sleeInfoSchema }),
  sleeShutdown: op({ method: 'POST', path: '/slee/shutdown', tag: 'slee', summary: 'Stop the SLEE and end the node process', response: okSchema }),

  // ---- deployment ----
  deploymentInstall: op({ method: 'POST', path: '/deployment/units', tag: 'deployment', summary: 'Install a deployable unit (.tgz bundle bytes, content-type application/gzip)', body: 'binary', response: deployableUnitSchema }),
  deploymentUninstall: op({ method: 'DELETE', path: '/deployment/units/:unit', tag: 'deployment', summary: 'Uninstall a deployable unit', params: z.object({ unit: name }), response: okSchema }),
  deploymentListUnits: op({ method: 'GET', path: '/deployment/units', tag: 'deployment', summary: 'Installed deployable units', response: z.array(deployableUnitSchema) }),
  deploymentListComponents: op({ method: 'GET', path: '/deployment/components', tag: 'deployment', summary: 'Installed components (services, SBBs, profile specs, RA types, event types)', response: z.array(deployedComponentSchema) }),
  deploymentDescriptor: op({ method: 'GET', path: '/deployment/units/:unit/descriptor', tag: 'deployment', summary: 'The bundle descriptor of a deployable unit', params: z.object({ unit: name }), response: z.unknown() }),

  // ---- services ----
  serviceList: op({ method: 'GET', path: '/services', tag: 'services', summary: 'Installed services and their states', response: z.array(serviceInfoSchema) }),
  serviceGet: op({ method: 'GET', path: '/services/:service', tag: 'services', summary: 'One service (name[:vendor[:version]])', params: service, response: serviceInfoSchema }),
  serviceActivate: op({ method: 'POST', path: '/services/:service/activate', tag: 'services', summary: 'Activate a service', params: service, response: serviceInfoSchema }),
  serviceDeactivate: op({ method: 'POST', path: '/services/:service/deactivate', tag: 'services', summary: 'Deactivate a service (it drains, then becomes INACTIVE)', params: service, response: serviceInfoSchema }),
  serviceDeactivateAndActivate: op({
    method: 'POST',
    path: '/services/deactivate-and-activate',
    tag: 'services',
    summary: 'Upgrade: new activities go to `activate`, existing ones stay on `deactivate`',
    body: z.object({ deactivate: componentRefSchema, activate: componentRefSchema }),
    response: z.array(serviceInfoSchema),
  }),
  serviceEntities: op({ method: 'GET', path: '/services/:service/entities', tag: 'entities', summary: 'The SBB entities of a service', params: service, response: z.array(sbbEntitySummarySchema) }),

  // ---- resources ----
  raTypeList: op({ method: 'GET', path: '/ra/types', tag: 'resources', summary: 'Resource-adaptor types and their configuration properties', response: z.array(raTypeInfoSchema) }),
  raEntityList: op({ method: 'GET', path: '/ra/entities', tag: 'resources', summary: 'Resource-adaptor entities', response: z.array(raEntityInfoSchema) }),
  raEntityGet: op({ method: 'GET', path: '/ra/entities/:entity', tag: 'resources', summary: 'One resource-adaptor entity', params: entity, response: raEntityInfoSchema }),
  raEntityCreate: op({
    method: 'POST',
    path: '/ra/entities',
    tag: 'resources',
    summary: 'Create an INACTIVE entity of a type with configuration properties',
    body: z.object({ name, type: componentRefSchema, properties: configPropertiesSchema.default({}) }),
    response: raEntityInfoSchema,
  }),
  raEntityActivate: op({ method: 'POST', path: '/ra/entities/:entity/activate', tag: 'resources', summary: 'Activate an entity', params: entity, response: raEntityInfoSchema }),
  raEntityDeactivate: op({ method: 'POST', path: '/ra/entities/:entity/deactivate', tag: 'resources', summary: 'Deactivate an entity (STOPPING until its activities end)', params: entity, response: raEntityInfoSchema }),
  raEntityReconfigure: op({
    method: 'PATCH',
    path: '/ra/entities/:entity',
    tag: 'resources',
    summary: 'Change configuration properties of an entity',
    params: entity,
    body: z.object({ properties: configPropertiesSchema }),
    response: raEntityInfoSchema,
  }),
  raEntityRemove: op({ method: 'DELETE', path: '/ra/entities/:entity', tag: 'resources', summary: 'Remove an INACTIVE, unbound entity', params: entity, response: okSchema }),
  raLinkList: op({ method: 'GET', path: '/ra/links', tag: 'resources', summary: 'Resource-adaptor link names', response: z.array(linkInfoSchema) }),
  raLinkBind: op({ method: 'POST', path: '/ra/links', tag: 'resources', summary: 'Bind a link name to an entity', body: linkInfoSchema.extend({ link: name, entity: name }), response: linkInfoSchema }),
  raLinkUnbind: op({ method: 'DELETE', path: '/ra/links/:link', tag: 'resources', summary: 'Unbind a link name', params: z.object({ link: name }), response: okSchema }),

  // ---- profiles ----
  profileSpecList: op({ method: 'GET', path: '/profiles/specs', tag: 'profiles', summary: 'Profile specifications tables can be created from', response: z.array(z.string()) }),
  profileTableList: op({ method: 'GET', path: '/profiles/tables', tag: 'profiles', summary: 'Profile tables', response: z.array(profileTableSchema) }),
  profileTableGet: op({ method: 'GET', path: '/profiles/tables/:table', tag: 'profiles', summary: 'One profile table', params: table, response: profileTableSchema }),
  profileTableCreate: op({ method: 'POST', path: '/profiles/tables', tag: 'profiles', summary: 'Create a profile table from a profile specification', body: z.object({ name, spec: componentRefSchema }), response: profileTableSchema }),
  profileTableRemove: op({ method: 'DELETE', path: '/profiles/tables/:table', tag: 'profiles', summary: 'Remove a profile table and its profiles', params: table, response: okSchema }),
  profileTableRename: op({ method: 'POST', path: '/profiles/tables/:table/rename', tag: 'profiles', summary: 'Rename a profile table', params: table, body: z.object({ to: name }), response: profileTableSchema }),
  profileList: op({
    method: 'GET',
    path: '/profiles/tables/:table/profiles',
    tag: 'profiles',
    summary: 'A page of profiles in name order',
    params: table,
    query: z.object({ after: z.string().optional(), limit: z.coerce.number<number>().int().min(1).max(10_000).default(100) }),
    response: z.array(profileSchema),
  }),
  profileCount: op({ method: 'GET', path: '/profiles/tables/:table/count', tag: 'profiles', summary: 'How many profiles a table holds', params: table, response: countSchema }),
  profileGet: op({ method: 'GET', path: '/profiles/tables/:table/profiles/:profile', tag: 'profiles', summary: 'One profile', params: tableProfile, response: profileSchema }),
  profileCreate: op({
    method: 'POST',
    path: '/profiles/tables/:table/profiles',
    tag: 'profiles',
    summary: 'Create a profile',
    params: table,
    body: z.object({ name, values: profileValuesSchema.default({}) }),
    response: profileSchema,
  }),
  profileUpdate: op({ method: 'PATCH', path: '/profiles/tables/:table/profiles/:profile', tag: 'profiles', summary: 'Change attributes of a profile', params: tableProfile, body: z.object({ values: profileValuesSchema }), response: profileSchema }),
  profileRemove: op({ method: 'DELETE', path: '/profiles/tables/:table/profiles/:profile', tag: 'profiles', summary: 'Remove a profile', params: tableProfile, response: okSchema }),
  profileQuery: op({
    method: 'POST',
    path: '/profiles/tables/:table/query',
    tag: 'profiles',
    summary: "Run a static query of the table's specification",
    params: table,
    body: z.object({ query: name, params: queryParamsSchema.default({}) }),
    response: z.array(profileSchema),
  }),
  profileFind: op({
    method: 'POST',
    path: '/profiles/tables/:table/find',
    tag: 'profiles',
    summary: 'Run a dynamic query (JSON tree of equals, range, hasPrefix, and, or, not...)',
    params: table,
    body: z.object({ expression: queryExpressionSchema, params: queryParamsSchema.default({}) }),
    response: z.array(profileSchema),
  }),
  profileImport: op({
    method: 'POST',
    path: '/profiles/tables/:table/import',
    tag: 'profiles',
    summary: 'Import profiles from CSV or JSON, all or nothing; progress is notified',
    params: table,
    query: format,
    body: 'text',
    response: z.object({ imported: z.number() }),
  }),
  profileExport: op({ method: 'GET', path: '/profiles/tables/:table/export', tag: 'profiles', summary: 'Export a table as CSV or JSON', params: table, query: format, response: z.string(), produces: 'text' }),

  // ---- alarms ----
  alarmList: op({ method: 'GET', path: '/alarms', tag: 'alarms', summary: 'Active alarms', query: z.object({ source: z.string().optional() }), response: z.array(alarmSchema) }),
  alarmClear: op({ method: 'DELETE', path: '/alarms/:alarm', tag: 'alarms', summary: 'Clear one alarm by id', params: z.object({ alarm: name }), response: okSchema }),
  alarmClearMatching: op({
    method: 'POST',
    path: '/alarms/clear',
    tag: 'alarms',
    summary: 'Clear the alarms of a source and/or type (all alarms when neither is given)',
    body: z.object({ source: z.string().optional(), type: z.string().optional() }),
    response: countSchema,
  }),

  // ---- traces ----
  traceList: op({ method: 'GET', path: '/traces', tag: 'traces', summary: 'Configured trace levels', response: z.array(traceLevelRecordSchema) }),
  traceGet: op({
    method: 'GET',
    path: '/traces/level',
    tag: 'traces',
    summary: 'The trace level in force for a tracer of a notification source',
    query: z.object({ source: name, tracer: z.string().default('') }),
    response: traceLevelRecordSchema,
  }),
  traceSet: op({
    method: 'PUT',
    path: '/traces/level',
    tag: 'traces',
    summary: 'Set the trace level of a tracer (and the tracers below it) of a notification source',
    body: z.object({ source: name, tracer: z.string().default(''), level: traceLevelSchema }),
    response: traceLevelRecordSchema,
  }),

  // ---- usage ----
  usageList: op({ method: 'GET', path: '/usage/sets', tag: 'usage', summary: 'Usage parameter sets by notification source', response: z.array(usageSetRefSchema) }),
  usageGet: op({ method: 'GET', path: '/usage/sets/values', tag: 'usage', summary: 'Counters and samples of a usage parameter set', query: usageSet, response: usageSnapshotSchema }),
  usageReset: op({ method: 'POST', path: '/usage/sets/reset', tag: 'usage', summary: 'Reset a usage parameter set', body: usageSet, response: usageSnapshotSchema }),
  usageThresholdList: op({ method: 'GET', path: '/usage/thresholds', tag: 'usage', summary: 'Usage thresholds', response: z.array(usageThresholdSchema) }),
  usageThresholdSet: op({
    method: 'POST',
    path: '/usage/thresholds',
    tag: 'usage',
    summary: 'Notify when a counter reaches a threshold (and falls back below it)',
    body: usageSet.extend({ counter: name, threshold: z.number() }),
    response: usageThresholdSchema,
  }),
  usageThresholdRemove: op({ method: 'DELETE', path: '/usage/thresholds/:threshold', tag: 'usage', summary: 'Remove a usage threshold', params: z.object({ threshold: name }), response: okSchema }),

  // ---- activities and SBB entities ----
  activityList: op({ method: 'GET', path: '/activities', tag: 'activities', summary: 'Live activities', response: z.array(activityInfoSchema) }),
  activityGet: op({ method: 'GET', path: '/activities/one', tag: 'activities', summary: 'One activity (its id contains a slash, so it is a query parameter)', query: z.object({ id: name }), response: activityInfoSchema }),
  activityEnd: op({ method: 'POST', path: '/activities/end', tag: 'activities', summary: 'End an activity', body: z.object({ id: name }), response: activityInfoSchema }),
  entityGet: op({ method: 'GET', path: '/entities/:entity', tag: 'entities', summary: 'An SBB entity: CMP fields, children, attachments, priority, service', params: entity, response: sbbEntityInfoSchema }),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
