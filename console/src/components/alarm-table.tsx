import type { AlarmRecord } from '../lib/types';
import { ActionButton } from './action-button';
import { StateBadge } from './state-badge';

/** Alarms, most severe first; with `onClear`, each row has a Clear button. */
export function AlarmTable({ alarms, onClear }: { alarms: AlarmRecord[]; onClear?: (alarm: AlarmRecord) => Promise<unknown> }) {
  if (alarms.length === 0)
    return (
      <p class="hint" data-testid="no-alarms">
        No active alarms.
      </p>
    );
  const sorted = [...alarms].sort((a, b) => SEVERITY.indexOf(a.level) - SEVERITY.indexOf(b.level) || b.raisedAt - a.raisedAt);
  return (
    <table class="grid" data-testid="alarms">
      <thead>
        <tr>
          <th>Level</th>
          <th>Source</th>
          <th>Type</th>
          <th>Instance</th>
          <th>Message</th>
          <th>Raised</th>
          {onClear ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {sorted.map((a) => (
          <tr key={a.id} data-alarm={a.id}>
            <td>
              <StateBadge state={a.level} />
            </td>
            <td>{a.source}</td>
            <td>{a.type}</td>
            <td>{a.instanceId}</td>
            <td>{a.message}</td>
            <td>{new Date(a.raisedAt).toLocaleTimeString()}</td>
            {onClear ? (
              <td class="actions">
                <ActionButton run={() => onClear(a)} done={`Cleared ${a.type}`}>
                  Clear
                </ActionButton>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const SEVERITY = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE', 'CLEAR'];
