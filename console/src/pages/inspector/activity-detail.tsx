import { get, post } from '../../lib/api';
import { href } from '../../lib/route';
import { useLoad } from '../../lib/use-load';
import type { ActivityInfo } from '../../lib/types';
import { ActionButton } from '../../components/action-button';
import { ErrorBox } from '../../components/error-box';
import { StateBadge } from '../../components/state-badge';

/** One activity in full: attached SBB entities, timers, names; End ends it by hand. */
export function ActivityDetail({ id }: { id: string }) {
  const activity = useLoad(() => get<ActivityInfo>(`/activities/one?id=${encodeURIComponent(id)}`), [id], 3000);
  const a = activity.data;
  return (
    <div class="card" data-testid="activity-detail">
      <h3>Activity</h3>
      <ErrorBox error={activity.error} />
      {a ? (
        <dl class="facts">
          <dt>Id</dt>
          <dd>
            <code>{a.id}</code>
          </dd>
          <dt>Handle</dt>
          <dd>{a.handle}</dd>
          <dt>Owner</dt>
          <dd>{a.owner ?? ''}</dd>
          <dt>State</dt>
          <dd>
            <StateBadge state={a.state} />
          </dd>
          <dt>Queued events</dt>
          <dd>{a.queuedEvents}</dd>
          <dt>Names</dt>
          <dd>{a.names.length ? a.names.join(', ') : '–'}</dd>
          <dt>Timers</dt>
          <dd>
            {a.timerIds?.length
              ? a.timerIds.map((t) => (
                  <code key={t} class="chip">
                    {t}
                  </code>
                ))
              : '–'}
          </dd>
          <dt>Attached entities</dt>
          <dd>
            {a.entities?.length
              ? a.entities.map((e) => (
                  <a key={e} class="chip" href={href('inspector', 'entity', e)}>
                    {e}
                  </a>
                ))
              : '–'}
          </dd>
        </dl>
      ) : null}
      {a && a.state === 'active' ? (
        <ActionButton
          kind="danger"
          confirm="End this activity? Its SBB entities see the end event."
          run={() => post('/activities/end', { id: a.id }).then(activity.reload)}
          done="Activity ending"
        >
          End activity
        </ActionButton>
      ) : null}
    </div>
  );
}
