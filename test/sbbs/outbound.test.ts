import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { parseMessage, SipResponse, type SipRequest } from '../../resource-adaptors/sip/message/index.js';
import type { TransportLayer } from '../../resource-adaptors/sip/transport/transport-layer.js';
import { configureDigestAuth } from '../../sbbs/digest-auth/digest-auth-settings.js';
import { configureRegistrar } from '../../sbbs/registrar/registrar-settings.js';
import { LocationService } from '../../sbbs/location/location-service.js';
import { ProfileFacility } from '../../profiles/facility/profile-facility.js';
import type { ProfileStore } from '../../profiles/storage/profile-store.js';
import { waitFor } from '../sip/transport/helpers.js';
import { TcpSipClient } from './tcp-sip-client.js';
import { UdpSipClient } from './udp-sip-client.js';
import { DOMAIN, openSubscriberStore, startTelephonySlee } from './telephony-fixture.js';

const INSTANCE = '00000000-0000-1000-8000-000a95a0e128';
const OUTBOUND = ['Supported: outbound, path'];

/** Digest auth is not what these tests are about: every loopback source is trusted. */
async function outboundSlee(t: TestContext) {
  configureDigestAuth({ trusted: ['127.0.0.0/8'] });
  t.after(() => configureDigestAuth({}));
  const store = await openSubscriberStore(t);
  const started = await startTelephonySlee(t, store);
  const transport = started.ra.stack.transport as TransportLayer;
  return { ...started, store, transport };
}

async function tcpClient(t: TestContext, port: number): Promise<TcpSipClient> {
  const client = await TcpSipClient.open(port);
  t.after(() => client.drop());
  return client;
}

async function udpClient(t: TestContext, port: number): Promise<UdpSipClient> {
  const client = await UdpSipClient.open(port);
  t.after(() => client.close());
  return client;
}

function bindingsOf(store: ProfileStore) {
  return new LocationService(new ProfileFacility(store, () => undefined)).lookup(`sip:bob@${DOMAIN}`);
}

/** An INVITE from alice (a UDP phone) to bob. */
function inviteText(caller: UdpSipClient): string {
  return [
    `INVITE sip:bob@${DOMAIN} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    `From: <sip:alice@${DOMAIN}>;tag=${randomBytes(4).toString('hex')}`,
    `To: <sip:bob@${DOMAIN}>`,
    `Call-ID: ${randomBytes(8).toString('hex')}`,
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    `Contact: <sip:alice@127.0.0.1:${caller.port}>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** Calls bob; `answerer` (when given) takes the INVITE and answers 486, which is what the caller then gets. */
async function call(caller: UdpSipClient, answerer?: TcpSipClient): Promise<{ status: number; invite?: SipRequest }> {
  const response = caller.send(inviteText(caller));
  if (answerer === undefined) return { status: (await response).status };
  const invite = await answerer.nextRequest();
  answerer.reply(invite, 486, 'Busy Here');
  return { status: (await response).status, invite };
}

test('an outbound REGISTER is kept per instance and reg-id, answered with Require: outbound and Flow-Timer', async (t) => {
  configureRegistrar({ flowTimer: 95 });
  t.after(() => configureRegistrar({}));
  const { port, store } = await outboundSlee(t);
  const a = await tcpClient(t, port);
  const first = await a.send(a.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1, extra: OUTBOUND }));
  assert.equal(first.status, 200);
  assert.equal(first.get('Require'), 'outbound');
  assert.equal(first.get('Flow-Timer'), '95');
  assert.match(first.get('Contact')!, /reg-id=1/);
  const b = await tcpClient(t, port);
  const again = await b.send(b.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1, extra: OUTBOUND }));
  assert.equal(again.status, 200);
  assert.deepEqual(
    (await bindingsOf(store)).map((x) => x.contact),
    [`sip:bob@127.0.0.1:${b.port};transport=tcp;ob`],
    'the same instance and reg-id from a new connection replaces the old flow',
  );
  const second = await a.send(a.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 2, extra: OUTBOUND }));
  assert.equal(second.status, 200);
  assert.equal((await bindingsOf(store)).length, 2, 'another reg-id is another flow');
});

test('without outbound support the registrar keeps RFC 3261 behaviour; a Path whose first hop lacks ;ob gets 439', async (t) => {
  const { port, store } = await outboundSlee(t);
  const a = await tcpClient(t, port);
  const plain = await a.send(a.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1 }));
  assert.equal(plain.status, 200);
  assert.equal(plain.get('Require'), undefined, 'no Supported: outbound, no outbound');
  assert.equal(plain.get('Flow-Timer'), undefined);
  const b = await tcpClient(t, port);
  await b.send(b.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1 }));
  assert.equal((await bindingsOf(store)).length, 2, 'bindings by contact, as RFC 3261 keeps them');
  const noInstance = await a.send(a.registerText('bob', DOMAIN, { regId: 1, extra: OUTBOUND }));
  assert.equal(noInstance.get('Require'), undefined, 'reg-id without +sip.instance is ignored');
  const firstHop = await a.send(a.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1, extra: [...OUTBOUND, 'Path: <sip:edge.example;lr>'] }));
  assert.equal(firstHop.status, 439);
  const twoFlows = await a.send(
    a.registerText('bob', DOMAIN, {
      contact: `<sip:bob@127.0.0.1:1;transport=tcp;ob>;+sip.instance="<urn:uuid:${INSTANCE}>";reg-id=1, <sip:bob@127.0.0.1:2;transport=tcp;ob>;+sip.instance="<urn:uuid:${INSTANCE}>";reg-id=2`,
      extra: OUTBOUND,
    }),
  );
  assert.equal(twoFlows.status, 400, 'one flow per REGISTER');
});

test('a client whose TCP flow dropped: 430 Flow Failed, then 480; after it reconnects and registers again, calls reach the new flow', async (t) => {
  const { port, store, transport } = await outboundSlee(t);
  const caller = await udpClient(t, port);
  const first = await TcpSipClient.open(port);
  assert.equal((await first.send(first.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1, extra: OUTBOUND }))).status, 200);
  const reached = await call(caller, first);
  assert.equal(reached.status, 486);
  await first.drop();
  await waitFor(() => transport.openConnections === 0, 'the flow closed on the server');
  assert.equal((await call(caller)).status, 430, 'the only flow has failed');
  assert.equal((await bindingsOf(store)).length, 0, 'the binding of the failed flow is gone');
  assert.equal((await call(caller)).status, 480, 'nothing registered any more');
  const second = await tcpClient(t, port);
  assert.equal((await second.send(second.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1, extra: OUTBOUND }))).status, 200);
  const again = await call(caller, second);
  assert.equal(again.status, 486, 'the call reached the new connection');
});

test('two reg-ids are two flows: a call takes the latest one only; when that drops, calls reach the other', async (t) => {
  const { port, store, transport } = await outboundSlee(t);
  const caller = await udpClient(t, port);
  const one = await tcpClient(t, port);
  const two = await TcpSipClient.open(port);
  assert.equal((await one.send(one.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1, expires: 1800, extra: OUTBOUND }))).status, 200);
  assert.equal((await two.send(two.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 2, extra: OUTBOUND }))).status, 200);
  assert.equal((await call(caller, two)).status, 486, 'the flow registered to last longest is the one used');
  assert.equal(one.queued, 0, 'one request per instance, not one per flow (RFC 5626 §5.2)');
  await two.drop();
  await waitFor(() => transport.openConnections === 1, 'the second flow closed on the server');
  assert.equal((await call(caller, one)).status, 486, 'the other flow still reaches the client');
  assert.equal((await bindingsOf(store)).length, 1, 'the failed flow was dropped');
});

/** An in-dialog request from alice along the dialog a 200 from bob set up: bob's Contact as target, its Record-Route reversed as route set. */
function inDialogText(caller: UdpSipClient, method: string, cseq: number, invite: SipRequest, ok: SipResponse): string {
  return [
    `${method} ${ok.contacts[0]!.uri.toString()} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    `From: ${invite.get('From')}`,
    `To: ${ok.get('To')}`,
    `Call-ID: ${invite.callId}`,
    `CSeq: ${cseq} ${method}`,
    'Max-Forwards: 70',
    ...ok
      .getAll('Record-Route')
      .reverse()
      .map((r) => `Route: ${r}`),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

test('in-dialog requests reach an outbound client over its flow through the flow token in Record-Route, and get 430 once it has gone', async (t) => {
  const { port, transport } = await outboundSlee(t);
  const caller = await udpClient(t, port);
  const bob = await TcpSipClient.open(port);
  assert.equal((await bob.send(bob.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1, extra: OUTBOUND }))).status, 200);
  const text = inviteText(caller);
  const answered = caller.send(text);
  const forwarded = await bob.nextRequest();
  // Behind a NAT: bob's Contact names an address nobody can open a connection to; only his flow reaches him.
  const contact = '<sip:bob@192.0.2.9:5060;transport=tcp;ob>';
  bob.reply(forwarded, 200, 'OK', { Contact: contact, 'Record-Route': forwarded.getAll('Record-Route') });
  const ok = await answered;
  assert.equal(ok.status, 200);
  assert.match(ok.getAll('Record-Route').join(','), /;ob/, 'the Record-Route facing bob names his flow');
  const invite = parseMessage(Buffer.from(text)) as SipRequest;
  caller.post(inDialogText(caller, 'ACK', 1, invite, ok));
  const info = caller.send(inDialogText(caller, 'INFO', 2, invite, ok));
  const relayed = await bob.nextRequest();
  assert.equal(relayed.method, 'INFO');
  bob.reply(relayed, 200, 'OK');
  assert.equal((await info).status, 200);
  assert.equal(bob.acks, 1, 'the ACK of the 200, sent before the INFO, came over the flow too');
  await bob.drop();
  await waitFor(() => transport.openConnections === 0, 'the flow closed on the server');
  assert.equal((await caller.send(inDialogText(caller, 'BYE', 3, invite, ok))).status, 430);
});

test("an outbound client placing a call is reached over the flow it called from: the far end's BYE comes back over it", async (t) => {
  const { port } = await outboundSlee(t);
  const alice = createSocket('udp4');
  await new Promise<void>((resolve) => alice.bind(0, '127.0.0.1', resolve));
  t.after(() => alice.close());
  const registrant = await udpClient(t, port);
  const contacts = [`<sip:alice@127.0.0.1:${alice.address().port}>`];
  assert.equal((await registrant.register({ user: 'alice', domain: DOMAIN, contacts })).status, 200);
  const next = () => new Promise<SipRequest | SipResponse>((resolve) => alice.once('message', (data) => resolve(parseMessage(data))));
  const bob = await tcpClient(t, port);
  const callId = randomBytes(8).toString('hex');
  const answered = bob.send(
    [
      `INVITE sip:alice@${DOMAIN} SIP/2.0`,
      `Via: SIP/2.0/TCP 127.0.0.1:${bob.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      `From: <sip:bob@${DOMAIN}>;tag=b0b`,
      `To: <sip:alice@${DOMAIN}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 INVITE',
      'Max-Forwards: 70',
      // Behind a NAT: the Contact is of no use to reach bob; `;ob` asks for his flow instead.
      'Contact: <sip:bob@192.0.2.9:5060;transport=tcp;ob>',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
  const invite = (await next()) as SipRequest;
  const ok = SipResponse.fromRequest(invite, 200, 'OK', 'a11ce');
  ok.set('Contact', contacts[0]!);
  ok.set('Record-Route', invite.getAll('Record-Route'));
  alice.send(ok.toBuffer(), port, '127.0.0.1');
  assert.equal((await answered).status, 200);
  const bye = [
    `BYE sip:bob@192.0.2.9:5060;transport=tcp;ob SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${alice.address().port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    `From: <sip:alice@${DOMAIN}>;tag=a11ce`,
    `To: <sip:bob@${DOMAIN}>;tag=b0b`,
    `Call-ID: ${callId}`,
    'CSeq: 1 BYE',
    'Max-Forwards: 70',
    ...invite.getAll('Record-Route').map((r) => `Route: ${r}`),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const byeAnswered = next();
  alice.send(bye, port, '127.0.0.1');
  const relayed = await Promise.race([bob.nextRequest(), byeAnswered]);
  assert.equal(relayed instanceof SipResponse ? `response ${relayed.status}` : relayed.method, 'BYE', "the BYE reached bob's connection");
});

test('an INVITE routed to the Path a registrar stored (a Route of ours naming the flow) goes over that flow, whatever its Request-URI', async (t) => {
  const { port, store } = await outboundSlee(t);
  const bob = await tcpClient(t, port);
  assert.equal((await bob.send(bob.registerText('bob', DOMAIN, { instance: INSTANCE, regId: 1, extra: OUTBOUND }))).status, 200);
  const [flowRoute] = (await bindingsOf(store))[0]!.path!;
  assert.match(flowRoute!, /;ob>$/);
  const caller = await udpClient(t, port);
  // As an authoritative proxy behind us would send it: to bob's contact (unreachable but over his flow), Path as Route.
  const text = inviteText(caller)
    .replace(`INVITE sip:bob@${DOMAIN} SIP/2.0`, 'INVITE sip:bob@192.0.2.9:5060;transport=tcp;ob SIP/2.0')
    .replace('Max-Forwards: 70', `Max-Forwards: 70\r\nRoute: ${flowRoute}`);
  const answered = caller.send(text);
  const arrived = await Promise.race([bob.nextRequest(), answered]);
  assert.equal(arrived instanceof SipResponse ? `response ${arrived.status}` : arrived.method, 'INVITE', "the INVITE reached bob's connection");
  bob.reply(arrived as SipRequest, 486, 'Busy Here');
  assert.equal((await answered).status, 486);
});

test('a REGISTER with Path: requests for the binding go to the first Path hop with the Path as their Route set (RFC 3327)', async (t) => {
  const { port } = await outboundSlee(t);
  const edge = createSocket('udp4');
  await new Promise<void>((resolve) => edge.bind(0, '127.0.0.1', resolve));
  t.after(() => edge.close());
  const edgePort = edge.address().port;
  const registrant = await udpClient(t, port);
  const path = [`<sip:flow1@127.0.0.1:${edgePort};lr;ob>`, '<sip:core.example;lr>'];
  const registered = await registrant.send(
    registrant.registerText({ user: 'bob', domain: DOMAIN, contacts: ['<sip:bob@192.0.2.7:5060;ob>;+sip.instance="<urn:uuid:x>";reg-id=1'] }, 1, [
      ...OUTBOUND,
      `Path: ${path.join(', ')}`,
    ]),
  );
  assert.equal(registered.status, 200);
  assert.equal(registered.get('Require'), 'outbound', "the edge proxy's ;ob says it supports outbound");
  const arrived = new Promise<SipRequest>((resolve) => edge.once('message', (data) => resolve(parseMessage(data) as SipRequest)));
  const caller = await udpClient(t, port);
  const answered = caller.send(inviteText(caller));
  const invite = await arrived;
  edge.send(SipResponse.fromRequest(invite, 486, 'Busy Here', 'edge').toBuffer(), port, '127.0.0.1');
  assert.equal((await answered).status, 486);
  assert.equal(invite.uri.toString(), 'sip:bob@192.0.2.7:5060;ob');
  assert.deepEqual(
    invite.routes.map((r) => r.uri.toString()),
    path.map((p) => p.slice(1, -1)),
  );
});
