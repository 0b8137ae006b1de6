import { z } from 'zod';
import { alarmSchema, componentIdSchema, raEntityStateSchema, serviceStateSchema, sleeStateSchema } from './schemas.js';

const base = { seq: z.number(), at: z.number() };

/** What management listeners receive, over SSE, WebSocket or in process. */
export const managementNotificationSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('alarm'), kind: z.enum(['raised', 'cleared']), alarm: alarmSchema }),
  z.object({ ...base, type: z.literal('slee-state'), from: sleeStateSchema, to: sleeStateSchema }),
  z.object({ ...base, type: z.literal('service-state'), service: componentIdSchema, from: serviceStateSchema, to: serviceStateSchema }),
  z.object({ ...base, type: z.literal('ra-entity-state'), entity: z.string(), state: raEntityStateSchema }),
  z.object({
    ...base,
    type: z.literal('usage-threshold'),
    threshold: z.string(),
    source: z.string(),
    set: z.string(),
    counter: z.string(),
    limit: z.number(),
    value: z.number(),
    direction: z.enum(['rising', 'falling']),
  }),
  z.object({ ...base, type: z.literal('profile-import'), table: z.string(), done: z.number(), total: z.number() }),
]);

export type ManagementNotification = z.infer<typeof managementNotificationSchema>;
/** A notification before the hub stamps its sequence number and time. */
export type NotificationBody = ManagementNotification extends infer N ? (N extends ManagementNotification ? Omit<N, 'seq' | 'at'> : never) : never;
