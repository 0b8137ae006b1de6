// The records the management API exchanges, typed from the server's own schemas (types only: nothing of zod is bundled).
import type { z } from 'zod';
import type * as schemas from '../../../server/management/api/schemas.js';

export type { ManagementNotification } from '../../../server/management/api/notification-schema.js';
export type {
  SleeInfo,
  ServiceInfo,
  RaEntityInfo,
  RaTypeInfo,
  LinkInfo,
  ProfileTableRecord,
  ProfileRecordOut,
  AlarmRecord,
  TraceLevelRecord,
  UsageSnapshotRecord,
  UsageThresholdRecord,
  ActivityInfo,
  SbbEntitySummary,
  SbbEntityInfo,
  ClusterNodeInfo as ClusterNode,
  CdrRecord,
  MessageTraceStatus,
} from '../../../server/management/api/schemas.js';

export type ComponentId = z.infer<typeof schemas.componentIdSchema>;
export type UsageSetRef = z.infer<typeof schemas.usageSetRefSchema>;
export type TraceLevel = z.infer<typeof schemas.traceLevelSchema>;
/** The body of `PUT /traces/messages`, defaults left to the node. */
export type MessageTraceSettings = z.input<typeof schemas.messageTraceSettingsSchema>;

/** A deployable unit as the deployment manager lists it (DeployableUnitInfo). */
export interface DeployableUnit {
  id: string;
  name: string;
  vendor: string;
  version: string;
  installedAt: string;
  components: Array<{ kind: string; id: ComponentId; unitId: string }>;
}
