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
import { parseMessage, type SipRequest, type SipResponse } from '../../resource-adaptors/sip/message/index.js';
import { RedisStateReplication } from '../../server/cluster/redis-state-replication.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { REDIS_URL, redisAvailable, removeQueue, uniqueQueueName, waitUntil } from '../timers/redis-for-tests.js';
import { BullTimerBackend } from '../../slee/facilities/timer/bull-timer-backend.js';
import { TimerFacility } from '../../slee/facilities/timer/timer-facility.js';
import type { TimerEvent } from '../../slee/facilities/timer/timer-event.js';
import type { DialogActivity } from '../../resource-adaptors/sip/ra/dialog-activity.js';
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

const ticks: Array<{ caller: string; activity: string; tick: number }> = [];

/** Answers a call and, once it is ACKed, sets a timer on the dialog; the timer sends INFO and sets another, which hangs up with BYE. */
@Service({ name: 'TimedUas' })
@Sbb()
class TimedUasSbb {
  @Cmp() caller = '';
  @Cmp() tick = 0;

  constructor(
    private readonly acis: ActivityContextInterfaceFactory,
    private readonly timers: TimerFacility,
  ) {}

  @InitialEvent()
  onInvite(event: SipRequestEvent, aci: ActivityContextInterface) {
    const dialog = event.transaction.answer(200);
    this.acis.getActivityContextInterface(dialog).attach();
    aci.detach();
    this.caller = event.request.from.uri.user ?? '';
  }

  onDialogAck(_event: DialogAckOrByeEvent, aci: ActivityContextInterface) {
    this.timers.setTimer(aci, { delay: 1500 });
  }

  onTimer(_event: TimerEvent, aci: ActivityContextInterface) {
    const dialog = aci.activity as DialogActivity;
    this.tick = this.tick + 1;
    ticks.push({ caller: this.caller, activity: dialog.handle, tick: this.tick });
    if (this.tick > 1) {
      dialog.bye();
      return;
    }
    dialog.sendRequest('INFO');
    // A shared attribute changes the activity: its record is written again, from node B.
    aci.set('info', true);
    this.timers.setTimer(aci, { delay: 1000 });
  }
}

/** A node of the test's cluster; with a queue, on a bull timer backend that `crash` stops too. */
async function startNode(t: TestContext, cluster: string, sbb: new (...args: never[]) => object = TakeoverUasSbb, queueName?: string) {
  const store = new RedisStateReplication({ redisUrl: REDIS_URL, cluster });
  const timerBackend = queueName === undefined ? undefined : new BullTimerBackend({ redisUrl: REDIS_URL, queueName });
  const slee = new Slee({ logger: silentLogger(), replication: store, ...(timerBackend ? { timerBackend } : {}) });
  const port = await freePort();
  await slee.createResourceAdaptorEntity('sip', new SipResourceAdaptor(), { host: '127.0.0.1', port, transports: 'udp', domains: '127.0.0.1' });
  slee.bindLinkName('sip', 'sip');
  await slee.activateResourceAdaptorEntity('sip');
  await slee.start();
  slee.activateService(slee.installService(sbb));
  let storeOpen = true;
  /** The node leaves the cluster without draining: nothing it does reaches the store any more, and its timers fire elsewhere. */
  const crash = async () => {
    storeOpen = false;
    await timerBackend?.stop();
    await store.close();
  };
  t.after(async () => {
    if (slee.state === 'RUNNING') await slee.stop();
    if (storeOpen) await store.close();
  });
  return { slee, store, port, crash };
}

/** A UDP phone: sends requests and collects the final responses by CSeq method, and the requests it gets with their sender's port. */
async function phone(t: TestContext) {
  const socket: Socket = createSocket('udp4');
  const finals: SipResponse[] = [];
  const requests: Array<{ request: SipRequest; port: number }> = [];
  socket.on('message', (data, from) => {
    const message = parseMessage(data);
    if (message.isRequest) requests.push({ request: message as SipRequest, port: from.port });
    else if ((message as SipResponse).status >= 200) finals.push(message as SipResponse);
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
  return { send, final, requests };
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

test('a timer set on a UA dialog by a node that died fires on another node, on the dialog taken over with the CMP state, which goes on replicating it and sends through the restored dialog', async (t) => {
  if (!(await redisAvailable(t))) return;
  ticks.length = 0;
  const cluster = uniqueClusterName();
  const queueName = uniqueQueueName();
  const a = await startNode(t, cluster, TimedUasSbb, queueName);
  const b = await startNode(t, cluster, TimedUasSbb, queueName);
  const recordsKey = new BullTimerBackend({ redisUrl: REDIS_URL, queueName }).recordsKey;
  t.after(async () => {
    await removeClusterKeysOf(cluster);
    await removeQueue(queueName, recordsKey);
  });
  const alice = await phone(t);

  alice.send(a.port, 'INVITE', 'timed-1', 1, undefined);
  const ok = await alice.final('INVITE', 'timed-1');
  assert.equal(ok.status, 200);
  const tag = ok.to.tag!;
  alice.send(a.port, 'ACK', 'timed-1', 1, tag);
  const handle = `dialog:timed-1|${tag}|alice-timed-1`;
  const key = `sleet:${cluster}:{${handle}}:activity:sip/${handle}`;
  await waitUntil(async () => (await b.store.redis.exists(key)) === 1, 'the confirmed dialog to be replicated', 5000);
  // The ACK's handler sets the timer: it is stored once that handler committed.
  await waitUntil(async () => (await b.store.redis.hlen(recordsKey)) === 1, 'the timer on the dialog to be stored', 5000);

  // Node A goes away without draining before the timer is due: its worker stops, so node B's takes the expiry.
  await a.crash();

  const received = async (method: string) => {
    await waitUntil(() => alice.requests.some((r) => r.request.method === method), `an ${method} from the timer handler`, 10_000);
    return alice.requests.find((r) => r.request.method === method)!;
  };
  const info = await received('INFO');
  assert.equal(info.port, b.port, 'the INFO comes from node B');
  assert.equal(info.request.callId, 'timed-1');
  assert.equal(info.request.from.tag, tag, 'From carries the tag node A gave');
  assert.equal(info.request.to.tag, 'alice-timed-1', "To carries the caller's tag");
  // Node B replicates the dialog it took over with its snapshot, which now counts the INFO node B sent.
  const snapshotHasInfo = async () => {
    const stored = await b.store.redis.hget(key, 'd');
    return stored !== null && (JSON.parse(stored) as { adaptorState?: { localSeq?: number } }).adaptorState?.localSeq === info.request.cseq.seq;
  };
  await waitUntil(snapshotHasInfo, "the dialog's record written by node B with its snapshot, counting the INFO", 5000);

  const bye = await received('BYE');
  assert.equal(bye.port, b.port, 'the BYE comes from node B');
  assert.deepEqual(
    ticks,
    [
      { caller: 'alice', activity: handle, tick: 1 },
      { caller: 'alice', activity: handle, tick: 2 },
    ],
    'each timer fired once, on the dialog activity, with the CMP state node A committed',
  );
  assert.equal(bye.request.callId, 'timed-1');
  assert.equal(bye.request.from.tag, tag);
  assert.equal(bye.request.to.tag, 'alice-timed-1');
  assert.ok(bye.request.cseq.seq > info.request.cseq.seq && info.request.cseq.seq > ok.cseq.seq, 'CSeqs go up from the INVITE');
  await waitUntil(async () => (await b.store.redis.exists(key)) === 0, 'the ended activity to leave the store', 5000);
});
