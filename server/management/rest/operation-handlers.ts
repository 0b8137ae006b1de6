import type { Management } from '../management.js';
import type { OperationName, Operations } from '../api/operations.js';
import type { OperationOutput, OperationParsedInput } from '../api/operation-spec.js';

type Result<K extends OperationName> = Operations[K] extends { produces: 'text' } ? AsyncIterable<string> : OperationOutput<Operations[K]>;

/** Runs `task` once the response has been sent (shutdown must answer before the node goes away). */
export type AfterResponse = (task: () => Promise<void>) => void;

export type OperationHandler<K extends OperationName> = (
  m: Management,
  input: OperationParsedInput<Operations[K]>,
  after: AfterResponse,
) => Result<K> | Promise<Result<K>>;

const ok = { ok: true } as const;

/** What each operation does on the management model. */
export const operationHandlers: { [K in OperationName]: OperationHandler<K> } = {
  sleeGet: (m) => m.slee.info(),
  sleeStart: (m) => m.slee.start(),
  sleeStop: (m) => m.slee.stop(),
  sleeShutdown: (m, _input, after) => {
    after(() => m.slee.shutdown());
    return ok;
  },

  clusterNodes: (m) => m.cluster.nodes(),
  clusterDrain: (m) => m.cluster.drain(),
  clusterOpen: (m) => m.cluster.open(),

  deploymentInstall: (m, i) => m.deployment.install(i.data),
  deploymentUninstall: async (m, i) => (await m.deployment.uninstall(i.unit), ok),
  deploymentListUnits: (m) => m.deployment.listUnits(),
  deploymentListComponents: (m) => m.deployment.listComponents(),
  deploymentDescriptor: (m, i) => m.deployment.descriptor(i.unit),

  serviceList: (m) => m.services.list(),
  serviceGet: (m, i) => m.services.get(i.service),
  serviceActivate: (m, i) => m.services.activate(i.service),
  serviceDeactivate: (m, i) => m.services.deactivate(i.service),
  serviceDeactivateAndActivate: (m, i) => m.services.deactivateAndActivate(i.deactivate, i.activate),
  serviceEntities: (m, i) => m.entities.listByService(i.service),

  raTypeList: (m) => m.resources.listTypes(),
  raEntityList: (m) => m.resources.listEntities(),
  raEntityGet: (m, i) => m.resources.getEntity(i.entity),
  raEntityCreate: (m, i) => m.resources.createEntity(i.name, i.type, i.properties),
  raEntityActivate: (m, i) => m.resources.activateEntity(i.entity),
  raEntityDeactivate: (m, i) => m.resources.deactivateEntity(i.entity),
  raEntityReconfigure: (m, i) => m.resources.reconfigureEntity(i.entity, i.properties),
  raEntityRemove: async (m, i) => (await m.resources.removeEntity(i.entity), ok),
  raLinkList: (m) => m.resources.listLinks(),
  raLinkBind: (m, i) => m.resources.bindLink(i.link, i.entity),
  raLinkUnbind: async (m, i) => (await m.resources.unbindLink(i.link), ok),

  profileSpecList: (m) => m.profiles.listSpecs(),
  profileTableList: (m) => m.profiles.listTables(),
  profileTableGet: (m, i) => m.profiles.getTable(i.table),
  profileTableCreate: (m, i) => m.profiles.createTable(i.name, i.spec),
  profileTableRemove: async (m, i) => (await m.profiles.removeTable(i.table), ok),
  profileTableRename: (m, i) => m.profiles.renameTable(i.table, i.to),
  profileList: (m, i) => m.profiles.listProfiles(i.table, { ...(i.after !== undefined ? { after: i.after } : {}), limit: i.limit }),
  profileCount: async (m, i) => ({ count: await m.profiles.countProfiles(i.table) }),
  profileGet: (m, i) => m.profiles.getProfile(i.table, i.profile),
  profileCreate: (m, i) => m.profiles.createProfile(i.table, i.name, i.values),
  profileUpdate: (m, i) => m.profiles.updateProfile(i.table, i.profile, i.values),
  profileRemove: async (m, i) => (await m.profiles.removeProfile(i.table, i.profile), ok),
  profileQuery: (m, i) => m.profiles.query(i.table, i.query, i.params),
  profileFind: (m, i) => m.profiles.find(i.table, i.expression, i.params),
  profileImport: (m, i) => m.profiles.importProfiles(i.table, i.data, i.format),
  profileExport: (m, i) => m.profiles.exportProfiles(i.table, i.format),

  alarmList: (m, i) => m.alarms.list(i.source),
  alarmClear: (m, i) => (m.alarms.clear(i.alarm), ok),
  alarmClearMatching: (m, i) => ({
    count: m.alarms.clearMatching({ ...(i.source !== undefined ? { source: i.source } : {}), ...(i.type !== undefined ? { type: i.type } : {}) }),
  }),

  traceList: (m) => m.traces.list(),
  traceGet: (m, i) => m.traces.get(i.source, i.tracer),
  traceSet: (m, i) => m.traces.set(i.source, i.tracer, i.level),
  messageTraceGet: (m) => m.messageTrace.get(),
  messageTraceSet: (m, i) => m.messageTrace.set(i),

  usageList: (m) => m.usage.listSets(),
  usageGet: (m, i) => m.usage.get(i.source, i.set),
  usageReset: (m, i) => m.usage.reset(i.source, i.set),
  usageThresholdList: (m) => m.usage.listThresholds(),
  usageThresholdSet: (m, i) => m.usage.setThreshold(i.source, i.set, i.counter, i.threshold),
  usageThresholdRemove: (m, i) => (m.usage.removeThreshold(i.threshold), ok),

  cdrList: (m, i) => m.cdrs.list(i),
  cdrExport: (m, i) => m.cdrs.export(i, i.format),

  activityList: (m) => m.activities.list(),
  activityGet: (m, i) => m.activities.get(i.id),
  activityEnd: (m, i) => m.activities.end(i.id),
  entityGet: (m, i) => m.entities.get(i.entity),
};
