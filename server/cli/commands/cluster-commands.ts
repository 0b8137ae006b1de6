import { Command } from 'commander';
import type { ClusterNodeInfo } from '../../management/api/schemas.js';
import { leaf } from '../leaf-command.js';
import { fields, table } from '../output.js';

const seen = (n: ClusterNodeInfo) => `${Math.max(0, Math.round((Date.now() - n.seenAt) / 100) / 10)} s ago`;

const nodes = (rows: ClusterNodeInfo[]) =>
  table(rows, [
    ['node', (n) => n.id],
    ['state', (n) => n.state],
    ['calls', (n) => n.calls],
    ['version', (n) => n.version],
    ['sip', (n) => n.sip],
    // The deployment log revision applied: equal on every node once a change has reached them all.
    ['deployment', (n) => (n.deployment ? `r${n.deployment.revision}${n.deployment.error ? ` failed: ${n.deployment.error}` : ''}` : '')],
    ['seen', seen],
  ]);

const one = (n: ClusterNodeInfo) => fields({ node: n.id, state: n.state, calls: n.calls, version: n.version, sip: n.sip });

export function clusterCommands(): Command {
  const cluster = new Command('cluster').description("the node's cluster: status, drain, open");
  leaf(
    cluster,
    'status',
    "list the cluster's nodes with their state, calls in progress, version and deployment revision",
    ({ client }) => client.clusterNodes(),
    nodes,
  );
  leaf(cluster, 'drain', 'take this node out of rotation: OPTIONS answers 503, calls in progress go on', ({ client }) => client.clusterDrain(), one);
  leaf(cluster, 'open', 'put this node back in rotation', ({ client }) => client.clusterOpen(), one);
  return cluster;
}
