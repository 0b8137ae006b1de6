import { del, get, post, seg } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { useNotifications } from '../lib/notifications';
import type { AlarmRecord } from '../lib/types';
import { ActionButton } from '../components/action-button';
import { ErrorBox } from '../components/error-box';
import { AlarmTable } from '../components/alarm-table';

/** Active alarms, live: raised and cleared notifications reload the list. */
export function Alarms() {
  const alarms = useLoad(() => get<AlarmRecord[]>('/alarms'), []);
  useNotifications((n) => {
    if (n.type === 'alarm') void alarms.reload();
  });
  const list = alarms.data ?? [];
  return (
    <section>
      <div class="title-row">
        <h2>
          Alarms <span class="hint">{alarms.data ? `${list.length} active` : ''}</span>
        </h2>
        <ActionButton kind="danger" disabled={list.length === 0} confirm="Clear every active alarm?" run={() => post('/alarms/clear', {}).then(alarms.reload)}>
          Clear all
        </ActionButton>
      </div>
      <ErrorBox error={alarms.error} />
      <AlarmTable alarms={list} onClear={(a) => del(`/alarms/${seg(a.id)}`).then(alarms.reload)} />
    </section>
  );
}
