import { get, seg } from '../../lib/api';
import { href } from '../../lib/route';
import { useLoad } from '../../lib/use-load';
import { refOf } from '../../lib/component-ref';
import type { SbbEntityInfo } from '../../lib/types';
import { ErrorBox } from '../../components/error-box';

/** One SBB entity: its service, parent and children, the activities it is attached to, its CMP fields. */
export function EntityDetail({ id }: { id: string }) {
  const entity = useLoad(() => get<SbbEntityInfo>(`/entities/${seg(id)}`), [id], 3000);
  const e = entity.data;
  return (
    <div class="card" data-testid="entity-detail">
      <h3>SBB entity</h3>
      <ErrorBox error={entity.error} />
      {e ? (
        <dl class="facts">
          <dt>Id</dt>
          <dd>
            <code>{e.id}</code>
          </dd>
          <dt>SBB</dt>
          <dd>{refOf(e.sbb)}</dd>
          <dt>Service</dt>
          <dd>{refOf(e.service)}</dd>
          <dt>Parent</dt>
          <dd>{e.parent ? <a href={href('inspector', 'entity', e.parent)}>{e.parent}</a> : '– (root)'}</dd>
          <dt>Convergence name</dt>
          <dd>{e.convergenceName ?? '–'}</dd>
          <dt>Priority</dt>
          <dd>{e.priority}</dd>
          <dt>Children</dt>
          <dd>
            {Object.entries(e.children).flatMap(([relation, ids]) =>
              ids.map((c) => (
                <a key={c} class="chip" href={href('inspector', 'entity', c)}>
                  {relation}: {c}
                </a>
              )),
            )}
          </dd>
          <dt>Attached to</dt>
          <dd>
            {e.attachments.length
              ? e.attachments.map((a) => (
                  <a key={a} class="chip" href={href('inspector', 'activity', a)}>
                    {a}
                  </a>
                ))
              : '–'}
          </dd>
          <dt>CMP fields</dt>
          <dd>
            <pre class="json" data-testid="cmp">
              {JSON.stringify(e.cmp, null, 2)}
            </pre>
          </dd>
        </dl>
      ) : null}
    </div>
  );
}
