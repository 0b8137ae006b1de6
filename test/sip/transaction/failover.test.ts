import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { parseMessage, SipUri, Via, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { TransactionLayer, type InviteClientTransaction } from '../../../resource-adaptors/sip/transaction/index.js';
import { uriTarget } from '../../../resource-adaptors/sip/transport/next-hop.js';
import type { TransportTarget } from '../../../resource-adaptors/sip/transport/transport-types.js';
import { FakeTransport, flush } from './fake-transport.js';
import { RecordingOwner, RecordingUser, UDP_TARGET } from './harness.js';
import { request, response } from './messages.js';

const FIRST: TransportTarget = { transport: 'UDP', host: '127.0.0.11', port: 5060 };
const SECOND: TransportTarget = { transport: 'UDP', host: '127.0.0.12', port: 5062 };
const NAMED = uriTarget(SipUri.parse('sip:bob@svc.test'));

/** A layer whose RFC 3263 lookup answers `targets` (or fails when empty) and counts its calls. */
function setup(targets: TransportTarget[] = [FIRST, SECOND]) {
  const clock = new FakeClock();
  const transport = new FakeTransport(() => clock.now());
  const user = new RecordingUser();
  const lookups: string[] = [];
  const locate = (uri: SipUri) => {
    lookups.push(uri.host);
    return targets.length > 0 ? Promise.resolve(targets) : Promise.reject(new SleetError(ErrorCode.SIP_DNS, 'no address'));
  };
  const layer = new TransactionLayer(transport, { clock, user, locate });
  return { clock, transport, user, layer, lookups };
}

const sentTo = (transport: FakeTransport, method: string) =>
  transport.sent.filter((r) => r.message.isRequest && (r.message as SipRequest).method === method).map((r) => r.target?.host);

describe('client transaction failover (RFC 3263 §4.3) on a fake clock', () => {
  it('a host name is located before the first send; a literal target is not', async () => {
    const { transport, layer, lookups } = setup();
    assert.equal(NAMED.uri?.host, 'svc.test');
    assert.equal(uriTarget(SipUri.parse('sip:bob@127.0.0.1')).uri, undefined, 'literals carry no URI: no lookup, no extra field');
    layer.createClientTransaction(request({ method: 'MESSAGE', branch: 'z9hG4bKlit' }), UDP_TARGET, new RecordingOwner());
    layer.createClientTransaction(request({ method: 'MESSAGE', branch: 'z9hG4bKnamed' }), NAMED, new RecordingOwner());
    await flush();
    assert.deepEqual(lookups, ['svc.test']);
    assert.deepEqual(sentTo(transport, 'MESSAGE'), ['127.0.0.1', '127.0.0.11']);
  });

  it('INVITE: Timer B on the first target sends it to the second on a new branch; the owner sees only its answer', async () => {
    const { clock, transport, layer } = setup();
    const owner = new RecordingOwner();
    const invite = request({ branch: 'z9hG4bKfirst' });
    invite.add('Via', 'SIP/2.0/UDP 192.0.2.5:5060;branch=z9hG4bKupstream;received=192.0.2.6');
    const tx = layer.createClientTransaction(invite, NAMED, owner);
    await flush();
    clock.advance(32000);
    await flush();
    const hosts = sentTo(transport, 'INVITE');
    assert.equal(hosts.filter((h) => h === '127.0.0.11').length, 7, 'the first target got the INVITE and its six retransmissions');
    assert.equal(hosts.at(-1), '127.0.0.12');
    assert.notEqual(tx.request.topVia!.branch, 'z9hG4bKfirst');
    const vias = parseMessage(tx.request.toBuffer()).getAll('Via');
    assert.equal(vias.length, 2);
    assert.equal(Via.parse(vias[0]!).branch, tx.request.topVia!.branch, 'the bytes sent carry the new branch');
    assert.equal(vias[1], 'SIP/2.0/UDP 192.0.2.5:5060;branch=z9hG4bKupstream;received=192.0.2.6', 'the Via after it is as it came');
    assert.equal(tx.state, 'Calling');
    transport.inject(response(tx.request, 200));
    assert.deepEqual(owner.statuses, [200]);
    assert.equal(layer.stats.clientTransactions, 1);
  });

  it('INVITE: a 503 from the first target is ACKed on its branch, its retransmission absorbed, and the second answers', async () => {
    const { clock, transport, user, layer } = setup();
    const owner = new RecordingOwner();
    const tx = layer.createClientTransaction(request({ branch: 'z9hG4bKold' }), NAMED, owner);
    await flush();
    const first = tx.request.clone();
    transport.inject(response(first, 100));
    transport.inject(response(first, 503));
    await flush();
    assert.deepEqual(
      transport.sent.filter((r) => r.message.isRequest).map((r) => `${(r.message as SipRequest).method} ${r.target?.host}`),
      ['INVITE 127.0.0.11', 'ACK 127.0.0.11', 'INVITE 127.0.0.12'],
    );
    assert.equal(transport.requests('ACK')[0]!.topVia!.branch, 'z9hG4bKold', 'the ACK for a non-2xx is on the INVITE branch');
    assert.notEqual(tx.request.topVia!.branch, 'z9hG4bKold', 'the second target gets a new transaction');
    transport.inject(response(first, 503));
    assert.equal(user.strayResponses.length, 0, 'the copy left on the old branch absorbed the retransmitted 503');
    assert.equal(transport.requests('ACK').length, 2, 'and ACKed it again');
    transport.inject(response(tx.request, 180));
    transport.inject(response(tx.request, 200));
    assert.deepEqual(owner.statuses, [100, 180, 200]);
    clock.advance(40000);
    assert.equal(layer.stats.clientTransactions, 0);
  });

  it('no failover once a provisional committed the request to a target, nor for a cancelled INVITE', async () => {
    const committed = setup();
    const owner = new RecordingOwner();
    const tx = committed.layer.createClientTransaction(request(), NAMED, owner);
    await flush();
    committed.transport.inject(response(tx.request, 180));
    committed.transport.inject(response(tx.request, 503));
    assert.deepEqual(owner.statuses, [180, 503]);

    const cancelled = setup();
    const owner2 = new RecordingOwner();
    const tx2 = cancelled.layer.createClientTransaction(request({ branch: 'z9hG4bKc' }), NAMED, owner2) as InviteClientTransaction;
    await flush();
    tx2.cancel();
    cancelled.clock.advance(32000);
    assert.deepEqual(owner2.statuses, [408]);
    assert.deepEqual(sentTo(cancelled.transport, 'INVITE').includes('127.0.0.12'), false);
  });

  it('non-INVITE: a 503 moves on; with no target left the 503 reaches the owner', async () => {
    const { transport, layer } = setup();
    const owner = new RecordingOwner();
    const tx = layer.createClientTransaction(request({ method: 'MESSAGE' }), NAMED, owner);
    await flush();
    transport.inject(response(tx.request, 503));
    await flush();
    transport.inject(response(tx.request, 503));
    assert.deepEqual(owner.statuses, [503]);
    assert.deepEqual(sentTo(transport, 'MESSAGE'), ['127.0.0.11', '127.0.0.12']);
  });

  it('a transport error on the first target moves on to the second', async () => {
    const { transport, layer } = setup();
    const send = transport.sendRequest.bind(transport);
    transport.sendRequest = (message, target) => (target.host === FIRST.host ? Promise.reject(new Error('refused')) : send(message, target));
    const owner = new RecordingOwner();
    const tx = layer.createClientTransaction(request({ method: 'OPTIONS' }), NAMED, owner);
    await flush();
    await flush();
    assert.equal(tx.target.host, SECOND.host);
    transport.inject(response(tx.request, 200));
    assert.deepEqual(owner.statuses, [200]);
  });

  it('a name that resolves to nothing is a 503 for the owner, as a transport error', async () => {
    const { layer } = setup([]);
    const owner = new RecordingOwner();
    const tx = layer.createClientTransaction(request({ method: 'OPTIONS' }), NAMED, owner);
    await flush();
    assert.deepEqual(owner.statuses, [503]);
    assert.equal(tx.terminationReason, 'transport-error');
  });
});
