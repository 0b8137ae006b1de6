import { ApiError, get } from '../lib/api';
import { useLoad, type Loaded } from '../lib/use-load';
import type { ClusterNode } from '../lib/types';
import { StateBadge } from './state-badge';

/** The cluster's nodes as this node sees them (`GET /cluster/nodes`), polled. */
export const useClusterNodes = () => useLoad(() => get<ClusterNode[]>('/cluster/nodes'), [], 5000);

/** 409: started without --cluster; 404: a node without cluster support. */
const notClustered = (nodes: Loaded<ClusterNode[]>) => nodes.error instanceof ApiError && (nodes.error.status === 409 || nodes.error.status === 404);

/** This node's own state: in rotation or draining when clustered (found by its management URL, the one the console came from), else standalone. */
export function NodeState({ nodes }: { nodes: Loaded<ClusterNode[]> }) {
  if (notClustered(nodes)) return <StateBadge state="standalone" />;
  if (!nodes.data) return <>…</>;
  const self = nodes.data.find((n) => n.management === location.origin);
  if (!self) return <>in a cluster of {nodes.data.length}</>;
  return (
    <>
      <StateBadge state={self.state} /> <span class="hint">{self.id}</span>
    </>
  );
}

/** The cluster's nodes, or that this node runs alone. */
export function ClusterState({ nodes }: { nodes: Loaded<ClusterNode[]> }) {
  if (notClustered(nodes))
    return (
      <p class="hint" data-testid="cluster">
        Single node: not in a cluster.
      </p>
    );
  return (
    <table class="grid" data-testid="cluster">
      <thead>
        <tr>
          <th>Node</th>
          <th>State</th>
          <th>Calls</th>
          <th>Version</th>
          <th>SIP</th>
          <th>Management</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {(nodes.data ?? []).map((n) => (
          <tr key={n.id} data-node={n.id}>
            <td>{n.id}</td>
            <td>
              <StateBadge state={n.state} />
            </td>
            <td>{n.calls}</td>
            <td>{n.version}</td>
            <td>{n.sip}</td>
            <td>{n.management}</td>
            <td>{Math.max(0, Math.round((Date.now() - n.seenAt) / 1000))} s ago</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
