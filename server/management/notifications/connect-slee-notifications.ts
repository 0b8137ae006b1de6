import type { Slee, SleeNotifications } from '../../../slee/container/slee.js';
import type { AlarmNotification } from '../../../slee/facilities/alarm/alarm-registry.js';
import type { NotificationHub } from './notification-hub.js';

type Payload<K extends keyof SleeNotifications> = SleeNotifications[K][0];

/** Forwards the SLEE's own events (alarms, SLEE/service/RA entity state) to the hub; returns the disconnect function. */
export function connectSleeNotifications(slee: Slee, hub: NotificationHub): () => void {
  const onAlarm = (n: AlarmNotification) => hub.publish({ type: 'alarm', kind: n.kind, alarm: { ...n.alarm } });
  const onState = (e: Payload<'stateChanged'>) => hub.publish({ type: 'slee-state', from: e.from, to: e.to });
  const onService = (e: Payload<'serviceStateChanged'>) => hub.publish({ type: 'service-state', service: { ...e.service }, from: e.from, to: e.to });
  const onRa = (e: Payload<'raEntityStateChanged'>) => hub.publish({ type: 'ra-entity-state', entity: e.entity, state: e.state });
  slee.kernel.alarms.on('notification', onAlarm);
  slee.on('stateChanged', onState);
  slee.on('serviceStateChanged', onService);
  slee.on('raEntityStateChanged', onRa);
  return () => {
    slee.kernel.alarms.off('notification', onAlarm);
    slee.off('stateChanged', onState);
    slee.off('serviceStateChanged', onService);
    slee.off('raEntityStateChanged', onRa);
  };
}
