import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { redisAvailable } from '../timers/redis-for-tests.js';
import { removeClusterKeysOf, uniqueClusterName } from './replication-fixture.js';
import { startClusterNodeProcess, type ClusterNodeProcess } from './cluster-node-process.js';
import { kamailioAndSippAvailable } from '../bench/kamailio-skip-reason.js';
import type { KamailioProcess } from '../../bench/sip-load/kamailio-process.js';
import { startDispatcher } from '../../bench/sip-load/dispatcher-under-test.js';
import { scratchDatabase } from './mariadb-for-tests.js';
import { sendSipRequest } from './sip-options.js';
import { ViaUas } from './via-uas.js';
import { SippProcess } from './sipp-process.js';
import { freePort } from '../sip/interop/sipp-runner.js';

/** Two cluster nodes sharing a scratch database, Kamailio in front, and bob's phone registered on node A. */
export interface CallBed {
  cluster: string;
  profilesUrl: string;
  nodes: ClusterNodeProcess[];
  kamailio: KamailioProcess;
  uas: ViaUas;
}

/** The bed, or null when a part is missing outside CI; everything is stopped after the test. */
export async function twoNodeCallBed(t: TestContext): Promise<CallBed | null> {
  if (!(await redisAvailable(t)) || !kamailioAndSippAvailable(t)) return null;
  const profilesUrl = await scratchDatabase(t);
  if (profilesUrl === null) return null;
  const cluster = uniqueClusterName();
  const nodes: ClusterNodeProcess[] = [];
  const stops: Array<() => Promise<void>> = [];
  t.after(async () => {
    for (const stop of stops.reverse()) await stop();
    for (const n of nodes) await n.kill();
    await removeClusterKeysOf(cluster);
  });
  // One after the other: the first creates the profile tables both share.
  nodes.push(await startClusterNodeProcess({ cluster, id: 'node-a', profilesUrl }));
  nodes.push(await startClusterNodeProcess({ cluster, id: 'node-b', profilesUrl }));
  const [a, b] = nodes as [ClusterNodeProcess, ClusterNodeProcess];
  const created = await a.api('POST', '/profiles/tables/subscribers/profiles', {
    name: 'bob',
    values: { address: 'sip:bob@127.0.0.1', username: 'bob', password: 'bob-secret' },
  });
  assert.equal(created.status, 200, JSON.stringify(created.json));
  const uas = await ViaUas.start();
  stops.push(async () => uas.close());
  const registered = await sendSipRequest(a.sipPort, 'REGISTER', 'sip:127.0.0.1', {
    From: '<sip:bob@127.0.0.1>',
    To: '<sip:bob@127.0.0.1>',
    Contact: `<sip:bob@127.0.0.1:${uas.port}>`,
    Expires: '600',
  });
  assert.equal(registered.status, 200, 'bob registers on node A (a trusted source: no challenge)');
  // WITH_CALL_LOG: the lines the tests read back (`sleet-call …`, `sleet-failover …`).
  const kamailio = await startDispatcher([a.sipPort, b.sipPort], await freePort(), ['WITH_CALL_LOG']);
  stops.push(() => kamailio.stop());
  return { cluster, profilesUrl, nodes, kamailio, uas };
}

/** SIPp calling bob through the bed's Kamailio (`uac-hold.xml`), each call held `holdMs` before its BYE; stopped after the test. */
export async function holdCallsThroughKamailio(t: TestContext, bed: CallBed, load: { calls: number; rate: number; holdMs: number }): Promise<SippProcess> {
  const uac = SippProcess.start('uac-hold.xml', await freePort(), [
    `127.0.0.1:${bed.kamailio.sipPort}`,
    '-s',
    'bob',
    '-key',
    'domain',
    '127.0.0.1',
    '-m',
    String(load.calls),
    '-r',
    String(load.rate),
    '-d',
    String(load.holdMs),
    '-timeout',
    '50s',
    '-timeout_error',
  ]);
  t.after(() => uac.stop());
  return uac;
}
