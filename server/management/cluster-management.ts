import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ClusterNodeInfo } from './api/schemas.js';

/** What the management model needs of a clustered node (server/cluster's ClusterNode). */
export interface ClusterView {
  nodes(): Promise<ClusterNodeInfo[]>;
  drain(): Promise<ClusterNodeInfo>;
  open(): Promise<ClusterNodeInfo>;
}

/** The cluster as this node sees it: every node's advert, and taking this one out of rotation and back. */
export class ClusterManagement {
  constructor(private readonly cluster: ClusterView | undefined) {}

  async nodes(): Promise<ClusterNodeInfo[]> {
    return this.view().nodes();
  }

  async drain(): Promise<ClusterNodeInfo> {
    return this.view().drain();
  }

  async open(): Promise<ClusterNodeInfo> {
    return this.view().open();
  }

  private view(): ClusterView {
    if (!this.cluster) throw new SleetError(ErrorCode.INVALID_STATE, 'this node is not in a cluster: start it with --cluster NAME --redis-url redis://…');
    return this.cluster;
  }
}
