import type { Slee } from '../../slee/container/slee.js';
import type { SleeInfo } from './api/schemas.js';

/** JSLEE's SleeManagementMBean: the SLEE's state, start, stop and shutdown. */
export class SleeManagement {
  constructor(
    private readonly slee: Slee,
    /** What shutdown does beyond stopping the SLEE (the node closes its servers and exits). */
    private readonly onShutdown: () => Promise<void> = async () => {},
  ) {}

  info(): SleeInfo {
    const kernel = this.slee.kernel;
    return { state: this.slee.state, stats: { ...kernel.stats }, activities: kernel.activities.size, sbbEntities: kernel.entities.size };
  }

  async start(): Promise<SleeInfo> {
    await this.slee.start();
    return this.info();
  }

  async stop(): Promise<SleeInfo> {
    await this.slee.stop();
    return this.info();
  }

  /** Stops the SLEE if it runs, then ends the node. */
  async shutdown(): Promise<void> {
    if (this.slee.state === 'RUNNING') await this.slee.stop();
    await this.onShutdown();
  }
}
