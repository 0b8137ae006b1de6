import { useNotifications } from '../lib/notifications';
import { toast } from './toasts';

/** Alarms raised or cleared, and usage thresholds crossed, pop up as toasts whichever page is open. */
export function NotificationToasts() {
  useNotifications((n) => {
    if (n.type === 'alarm') {
      const { level, source, message } = n.alarm;
      if (n.kind === 'raised') toast(level === 'CRITICAL' || level === 'MAJOR' ? 'error' : 'warning', `Alarm ${level} from ${source}: ${message}`);
      else toast('info', `Alarm cleared: ${source}: ${message}`);
    } else if (n.type === 'usage-threshold') {
      toast(
        n.direction === 'rising' ? 'warning' : 'info',
        `${n.source} ${n.counter} ${n.direction === 'rising' ? 'reached' : 'fell below'} ${n.limit} (now ${n.value})`,
      );
    }
  });
  return null;
}
