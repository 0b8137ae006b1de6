import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { Sbb } from '../../../slee/component-model/sbb.decorator.js';
import { Service } from '../../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../../slee/component-model/initial-event.decorator.js';
import type { SipRequestEvent } from '../../../resource-adaptors/sip/ra/sip-events.js';
import type { ProxyOperation } from '../../../resource-adaptors/sip/ra/proxy-operation.js';
import { parseMessage, SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { freePort } from '../interop/sipp-runner.js';
import { startSipSlee } from './sip-ra-fixture.js';

/** What the SBBs saw, weakly: whatever the RA and the stack still hold stays reachable. */
const seen: Array<WeakRef<object>> = [];
const operations: ProxyOperation[] = [];
let callee = '';

@Service({ name: 'AnsweringOrProxying' })
@Sbb()
class AnsweringOrProxyingSbb {
  @InitialEvent()
  onRegister(event: SipRequestEvent) {
    seen.push(new WeakRef(event.transaction!), new WeakRef(event.request));
    event.transaction!.respond(200);
  }

  @InitialEvent()
  onInvite(event: SipRequestEvent) {
    seen.push(new WeakRef(event.transaction!), new WeakRef(event.request));
    operations.push(event.transaction!.proxyTo([callee]));
  }
}

async function udpSocket(onMessage: (data: Buffer, socket: Socket) => void): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  socket.on('message', (data) => onMessage(data, socket));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port };
}

function requestText(method: string, uri: string, port: number): string {
  return (
    `${method} ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${method}${port}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:caller@127.0.0.1>;tag=c1\r\nTo: <${uri}>\r\nCall-ID: ${method}-${port}@127.0.0.1\r\nCSeq: 1 ${method}\r\n` +
    `Contact: <sip:caller@127.0.0.1:${port}>\r\nContent-Length: 0\r\n\r\n`
  );
}

/** Sends a request from a fresh socket and resolves with the status of its final response. */
async function finalStatus(method: string, uri: string, port: number): Promise<number> {
  let resolveStatus!: (status: number) => void;
  const status = new Promise<number>((resolve) => (resolveStatus = resolve));
  const caller = await udpSocket((data) => {
    const response = parseMessage(data) as SipResponse;
    if (response.status >= 200) resolveStatus(response.status);
  });
  caller.socket.send(requestText(method, uri, caller.port), port, '127.0.0.1');
  try {
    return await status;
  } finally {
    caller.socket.close();
  }
}

async function collected(ref: WeakRef<object>): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  (globalThis as { gc?: () => void }).gc!();
  return ref.deref() === undefined;
}

test('an answered REGISTER and a proxied INVITE let go of their activity and request at the final response, while their transactions wait', async (t) => {
  const uas = await udpSocket((data, socket) => {
    const request = parseMessage(data) as SipRequest;
    if (request.method !== 'INVITE') return;
    const ok = SipResponse.fromRequest(request, 200, 'OK', 'callee');
    ok.set('Contact', `<sip:callee@127.0.0.1:${socket.address().port}>`);
    const via = request.topVia!;
    socket.send(ok.toBuffer(), via.rport ?? via.port!, via.received ?? via.host);
  });
  t.after(() => uas.socket.close());
  callee = `sip:callee@127.0.0.1:${uas.port}`;
  const port = await freePort();
  const { slee, ra } = await startSipSlee(t, { port, transports: 'udp', domains: '127.0.0.1' }, AnsweringOrProxyingSbb);

  assert.equal(await finalStatus('REGISTER', 'sip:127.0.0.1', port), 200);
  assert.equal(await finalStatus('INVITE', 'sip:callee@127.0.0.1', port), 200);
  await slee.idle();

  assert.equal(seen.length, 4);
  for (const [i, ref] of seen.entries()) assert.ok(await collected(ref), `${i % 2 === 0 ? 'activity' : 'request'} ${i >> 1} let go`);
  const stats = ra.stack.transactions.stats;
  assert.equal(stats.serverTransactions, 2, 'REGISTER (Timer J) and INVITE (Timer L) still wait');
  assert.equal(stats.clientTransactions, 1, 'the forwarded INVITE (Timer M) still waits');
  assert.equal(operations[0]!.isCompleted, true);
  assert.equal(operations[0]!.finalResponse?.status, 200, 'the SBB can still read what went upstream');
});

const secondAnswer: unknown[] = [];

@Service({ name: 'AnswersTwice' })
@Sbb()
class AnswersTwiceSbb {
  @InitialEvent()
  onInvite(event: SipRequestEvent) {
    event.transaction!.respond(486);
    try {
      event.transaction!.answer(200);
    } catch (err) {
      secondAnswer.push(err);
    }
  }
}

test('answering an INVITE already answered is refused as such, though its transaction let go of the request', async (t) => {
  const port = await freePort();
  const { slee } = await startSipSlee(t, { port, transports: 'udp', domains: '127.0.0.1' }, AnswersTwiceSbb);
  assert.equal(await finalStatus('INVITE', 'sip:callee@127.0.0.1', port), 486);
  await slee.idle();
  assert.equal(secondAnswer.length, 1);
  assert.ok(SleetError.is(secondAnswer[0], ErrorCode.SIP_TRANSACTION));
  assert.match((secondAnswer[0] as Error).message, /already answered/);
});
