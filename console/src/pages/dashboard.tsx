import type { ComponentChildren } from 'preact';
import { get } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { useValue } from '../lib/signal-value';
import { useNotifications } from '../lib/notifications';
import { metricsAvailable, samples } from '../lib/sampler';
import type { AlarmRecord } from '../lib/types';
import { Chart } from '../components/chart';
import { AlarmTable } from '../components/alarm-table';
import { ClusterState, NodeState, useClusterNodes } from '../components/cluster-state';
import { ErrorBox } from '../components/error-box';
import { StateBadge } from '../components/state-badge';
import { CHARTS, valuesOf } from './dashboard/dashboard-charts';

/** The node at a glance: its own state, the SLEE state, live charts from `/metrics` and `/slee`, active alarms, the cluster's nodes. */
export function Dashboard() {
  const history = useValue(samples);
  const withMetrics = useValue(metricsAvailable);
  const alarms = useLoad(() => get<AlarmRecord[]>('/alarms'), []);
  const cluster = useClusterNodes();
  useNotifications((n) => {
    if (n.type === 'alarm') void alarms.reload();
  });
  const info = history[history.length - 1]?.slee;
  const times = history.map((s) => s.t);
  return (
    <section>
      <h2>Dashboard</h2>
      {info ? (
        <div class="tiles" data-testid="slee">
          <Tile label="Node" testId="node-state">
            <NodeState nodes={cluster} />
          </Tile>
          <Tile label="SLEE">
            <StateBadge state={info.state} />
          </Tile>
          <Tile label="Activities">{info.activities}</Tile>
          <Tile label="SBB entities">{info.sbbEntities}</Tile>
          <Tile label="Events delivered">{info.stats.eventsDelivered}</Tile>
          <Tile label="Handler failures">{info.stats.handlerFailures}</Tile>
          <Tile label="Active alarms">{alarms.data?.length ?? '…'}</Tile>
        </div>
      ) : null}
      {withMetrics === false ? <p class="hint">This node serves no /metrics (started with metrics off): only the SLEE's own counters are charted.</p> : null}
      <div class="charts">
        {CHARTS.map((c) => (
          <Chart
            key={c.id}
            id={c.id}
            title={c.title}
            unit={c.unit}
            times={times}
            series={c.series.map((s) => ({ label: s.label, color: s.color, values: valuesOf(s, history) }))}
          />
        ))}
      </div>
      <h2>Active alarms</h2>
      <ErrorBox error={alarms.error} />
      <AlarmTable alarms={alarms.data ?? []} />
      <h2>Cluster</h2>
      <ClusterState nodes={cluster} />
    </section>
  );
}

function Tile({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <div class="tile" data-testid={testId}>
      <span class="label">{label}</span>
      <span class="value">{children}</span>
    </div>
  );
}
