import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KamailioProcess } from './kamailio-process.js';

/** The shipped dispatcher configuration, in the source tree. */
const DISPATCHER_CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'deploy', 'kamailio', 'kamailio.cfg');

/**
 * Kamailio with deploy/kamailio/kamailio.cfg on 127.0.0.1:`sipPort`, dispatching to Sleet nodes on
 * 127.0.0.1 at `nodePorts`. `defines` are the configuration's own (`CHILDREN=2`, `WITH_CALL_LOG`).
 * Resolves once its first OPTIONS probes (every second, `ds_ping_interval`) can have marked the
 * nodes up.
 */
export async function startDispatcher(nodePorts: number[], sipPort: number, defines: string[]): Promise<KamailioProcess> {
  const kamailio = await KamailioProcess.start({
    config: DISPATCHER_CONFIG,
    sipPort,
    args: defines.flatMap((define) => ['-A', define]),
    files: { 'dispatcher.list': nodePorts.map((port) => `1 sip:127.0.0.1:${port}\n`).join('') },
  });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return kamailio;
}
