import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { B2buaCall } from '../../../resource-adaptors/sip/b2bua/index.js';
import { answer, incoming, stackHarness } from './stack-harness.js';

const SDP_A = 'v=0\r\no=a 1 1 IN IP4 127.0.0.10\r\n';
const SDP_B = 'v=0\r\no=b 1 1 IN IP4 127.0.0.11\r\n';
const sdp = { 'Content-Type': 'application/sdp' };

describe('B2buaCall (click-to-dial, late offer)', () => {
  it("calls A without SDP, B with A's offer, ACKs A with B's answer, and relays BYE", () => {
    const { stack, transport } = stackHarness();
    const call = new B2buaCall(stack, 'sip:a@127.0.0.10', 'sip:b@127.0.0.11');
    const states: string[] = [];
    call.on('state', (s) => states.push(s));
    call.start();
    const toA = transport.requests('INVITE')[0]!;
    assert.equal(toA.body.length, 0);
    const okA = answer(toA, 200, 'ta', { ...sdp, Contact: '<sip:a@127.0.0.10>' });
    okA.body = Buffer.from(SDP_A);
    transport.inject(okA);
    assert.equal(transport.requests('ACK').length, 0);
    const toB = transport.requests('INVITE')[1]!;
    assert.equal(toB.body.toString(), SDP_A);
    const okB = answer(toB, 200, 'tb', { ...sdp, Contact: '<sip:b@127.0.0.11>' });
    okB.body = Buffer.from(SDP_B);
    transport.inject(okB);
    const ackA = transport.requests('ACK').find((a) => a.to.tag === 'ta')!;
    assert.equal(ackA.body.toString(), SDP_B);
    assert.equal(call.state, 'connected');
    transport.inject(incoming({ method: 'BYE', callId: toB.callId, fromTag: 'tb', toTag: toB.from.tag!, cseq: 9 }));
    const byes = transport.requests('BYE');
    assert.equal(byes.length, 1);
    assert.equal(byes[0]!.to.tag, 'ta');
    assert.deepEqual(states, ['calling-a', 'calling-b', 'connected', 'terminated']);
  });

  it('ACKs and hangs up A when B rejects', () => {
    const { stack, transport } = stackHarness();
    const call = new B2buaCall(stack, 'sip:a@127.0.0.10', 'sip:b@127.0.0.11');
    const ended: string[] = [];
    call.on('ended', (r) => ended.push(r));
    call.start();
    transport.inject(answer(transport.requests('INVITE')[0]!, 200, 'ta', { Contact: '<sip:a@127.0.0.10>' }));
    transport.inject(answer(transport.requests('INVITE')[1]!, 486, 'tb'));
    assert.equal(transport.requests('ACK').filter((a) => a.to.tag === 'ta').length, 1);
    assert.equal(transport.requests('BYE')[0]!.to.tag, 'ta');
    assert.deepEqual(ended, ['B 486']);
  });

  it("ends the call, without throwing, when A's address cannot be built into an INVITE", () => {
    const { stack, transport } = stackHarness();
    const call = new B2buaCall(stack, 'sip:[', 'sip:b@127.0.0.11');
    const ended: string[] = [];
    call.on('ended', (r) => ended.push(r));
    assert.doesNotThrow(() => call.start());
    assert.equal(call.state, 'terminated');
    assert.equal(transport.requests('INVITE').length, 0);
    assert.match(ended[0] ?? '', /^A failed: malformed URI host/);
  });

  it("ACKs and hangs up A, without throwing, when B's address cannot be built into an INVITE", () => {
    const { stack, transport } = stackHarness();
    const call = new B2buaCall(stack, 'sip:a@127.0.0.10', 'sip:b@[::1');
    const ended: string[] = [];
    call.on('ended', (r) => ended.push(r));
    call.start();
    assert.doesNotThrow(() => transport.inject(answer(transport.requests('INVITE')[0]!, 200, 'ta', { Contact: '<sip:a@127.0.0.10>' })));
    assert.equal(transport.requests('ACK').filter((a) => a.to.tag === 'ta').length, 1);
    assert.equal(transport.requests('BYE')[0]!.to.tag, 'ta');
    assert.match(ended[0] ?? '', /^B failed: malformed URI port/);
  });
});
