import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { ActivityContextInterfaceFactory } from '../../slee/activity/activity-context-interface-factory.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { Slee } from '../../slee/container/slee.js';
import { SipResourceAdaptor } from '../../resource-adaptors/sip/ra/sip-resource-adaptor.js';
import type { DialogAckOrByeEvent, SipRequestEvent } from '../../resource-adaptors/sip/ra/sip-events.js';
import { parseMessage, type SipResponse } from '../../resource-adaptors/sip/message/index.js';
import { RedisStateReplication } from '../../server/cluster/redis-state-replication.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { REDIS_URL, redisAvailable, waitUntil } from '../timers/redis-for-tests.js';
import { removeClusterKeysOf, uniqueClusterName } from './replication-fixture.js';

const byes: Array<{ caller: string; invites: number }> = [];

/** Answers a call as a UAS and keeps it on the dialog; its BYE handler reports the CMP state the answering node wrote. */
@Service({ name: 'TakeoverUas' })
@Sbb()
class TakeoverUasSbb {
  @Cmp() caller = '';
  @Cmp() invites = 0;

  constructor(private readonly acis: ActivityContextInterfaceFactory) {}

  @InitialEvent()
  onInvite(event: SipRequestEvent, aci: ActivityContextInterface) {
    const dialog = event.transaction.answer(200);
    this.acis.getActivityContextInterface(dialog).attach();
    aci.detach();
    this.caller = event.request.from.uri.user ?? '';
    this.invites = this.invites + 1;
  }

  onDialogBye(_event: DialogAckOrByeEvent) {
    byes.push({ caller: this.caller, invites: this.invites });
  }
}

async function startNode(t: TestContext, cluster: string) {
  const store = new RedisStateReplication({ redisUrl: REDIS_URL, cluster });
  const slee = new Slee({ logger: silentLogger(), replication: store });
  const port = await freePort();
  await slee.createResourceAdaptorEntity('sip', new SipResourceAdaptor(), { host: '127.0.0.1', port, transports: 'udp', domains: '127.0.0.1' });
  slee.bindLinkName('sip', 'sip');
  await slee.activateResourceAdaptorEntity('sip');
  await slee.start();
  slee.activateService(slee.installService(TakeoverUasSbb));
  let storeOpen = true;
  /** The node leaves the cluster without draining: nothing it does reaches the store any more. */
  const crash = async () => {
    storeOpen = false;
    await store.close();
  };
  t.after(async () => {
    if (slee.state === 'RUNNING') await slee.stop();
    if (storeOpen) await store.close();
  });
  return { slee, store, port, crash };
}

/** A UDP phone: sends requests and collects the final responses by CSeq method. */
async function phone(t: TestContext) {
  const socket: Socket = createSocket('udp4');
  const finals: SipResponse[] = [];
  socket.on('message', (data) => {
    const response = parseMessage(data) as SipResponse;
    if (response.status >= 200) finals.push(response);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.after(() => socket.close());
  const local = socket.address().port;
  const send = (port: number, method: string, callId: string, cseq: number, toTag: string | undefined) =>
    socket.send(
      `${method} sip:svc@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-${method}-${cseq}-${callId}\r\n` +
        `Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=alice-${callId}\r\nTo: <sip:svc@127.0.0.1>${toTag === undefined ? '' : `;tag=${toTag}`}\r\n` +
        `Call-ID: ${callId}\r\nCSeq: ${cseq} ${method}\r\nContact: <sip:alice@127.0.0.1:${local}>\r\nContent-Length: 0\r\n\r\n`,
      port,
      '127.0.0.1',
    );
  const final = async (method: string, callId: string): Promise<SipResponse> => {
    await waitUntil(() => finals.some((r) => r.cseq.method === method && r.callId === callId), `a final response to ${method} ${callId}`, 5000);
    return finals.find((r) => r.cseq.method === method && r.callId === callId)!;
  };
  return { send, final };
}

test('a BYE for a UA dialog answered on a node that died is taken over by another node: 200, the BYE handler runs with the CMP state, the activity ends', async (t) => {
  if (!(await redisAvailable(t))) return;
  byes.length = 0;
  const cluster = uniqueClusterName();
  const a = await startNode(t, cluster);
  const b = await startNode(t, cluster);
  t.after(() => removeClusterKeysOf(cluster));
  const alice = await phone(t);

  alice.send(a.port, 'INVITE', 'takeover-1', 1, undefined);
  const ok = await alice.final('INVITE', 'takeover-1');
  assert.equal(ok.status, 200);
  const tag = ok.to.tag!;
  alice.send(a.port, 'ACK', 'takeover-1', 1, tag);
  const key = `sleet:${cluster}:{dialog:takeover-1|${tag}|alice-takeover-1}:activity:sip/dialog:takeover-1|${tag}|alice-takeover-1`;
  await waitUntil(async () => (await b.store.redis.exists(key)) === 1, 'the confirmed dialog to be replicated', 5000);
  let keys: string[] = [];
  const treeStored = async () => (keys = await b.store.redis.keys(`sleet:${cluster}:*`)).some((k) => k.includes(':tree:'));
  await waitUntil(treeStored, () => `its SBB entity tree to be replicated (keys: ${keys.join(' ')})`, 5000);

  // Node A goes away without draining: it writes nothing more to the store and gets no more requests.
  await a.crash();

  alice.send(b.port, 'BYE', 'takeover-1', 2, tag);
  const byeOk = await alice.final('BYE', 'takeover-1');
  assert.equal(byeOk.status, 200, `the BYE on node B: ${byeOk.status} ${byeOk.reason}`);
  await waitUntil(() => byes.length === 1, 'the BYE handler to run on node B');
  assert.deepEqual(byes, [{ caller: 'alice', invites: 1 }], 'the CMP state node A committed');
  await waitUntil(async () => (await b.store.redis.exists(key)) === 0, 'the ended activity to leave the store', 5000);
  assert.equal(b.slee.kernel.activityByHandle('sip', `dialog:takeover-1|${tag}|alice-takeover-1`), undefined, 'the activity ended on node B');

  alice.send(b.port, 'BYE', 'takeover-unknown', 2, 'nosuchtag');
  assert.equal((await alice.final('BYE', 'takeover-unknown')).status, 481, 'a BYE for a dialog no node stored');
});
