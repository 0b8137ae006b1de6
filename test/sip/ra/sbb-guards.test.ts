import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { Sbb } from '../../../slee/component-model/sbb.decorator.js';
import { Service } from '../../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../../slee/component-model/initial-event.decorator.js';
import { EventHandler } from '../../../slee/component-model/event-handler.decorator.js';
import { Injectable } from '../../../slee/component-model/injectable.decorator.js';
import { RaLink } from '../../../slee/component-model/ra-link.decorator.js';
import { Tracer } from '../../../slee/facilities/trace/tracer.js';
import type { ActivityContextInterface } from '../../../slee/activity/activity-context-interface.js';
import type { SipRequestEvent } from '../../../resource-adaptors/sip/ra/sip-events.js';
import type { SipProvider } from '../../../resource-adaptors/sip/ra/sip-provider.js';
import { SipRequestEvents } from '../../../resource-adaptors/sip/ra/sip-event-types.js';
import { parseMessage, type SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { freePort } from '../interop/sipp-runner.js';
import { startSipSlee } from './sip-ra-fixture.js';

const log: string[] = [];
let releaseSlow: () => void = () => undefined;

/** Priority 30: refuses requests for `blocked`, holds those for `slow` until the test lets go, leaves the rest. */
@Service({ name: 'Gatekeeper', priority: 30 })
@Sbb()
class GatekeeperSbb {
  @EventHandler([SipRequestEvents.MESSAGE, SipRequestEvents.INVITE])
  @InitialEvent()
  async screen({ request, transaction }: SipRequestEvent): Promise<void> {
    if (request.uri.user === 'blocked') transaction.respond(403);
    if (request.uri.user !== 'slow') return;
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    // The caller cancelled meanwhile: this refuses with ANSWERED_MEANWHILE, which ends the handler cleanly.
    transaction.respond(486);
    log.push('gatekeeper answered after the cancel');
  }

  sbbRolledBack() {
    log.push('gatekeeper rolled back');
  }
}

/** Two levels of injectables, one with a facility and an RA link, built by the SLEE. */
@Injectable()
class Greeting {
  constructor(private readonly tracer: Tracer) {}

  text(user: string): string {
    this.tracer.fine(`greeting ${user}`);
    return `hello ${user}`;
  }
}

@Injectable()
class Greeter {
  constructor(
    private readonly greeting: Greeting,
    @RaLink('sip') private readonly sip: SipProvider,
  ) {}

  greet(user: string): string {
    return `${this.greeting.text(user)} from ${this.sip.contact().uri.host}`;
  }
}

/** Priority 20, skipAnswered: never sees what the gatekeeper answered. */
@Service({ name: 'Skipper', priority: 20, skipAnswered: true })
@Sbb()
class SkipperSbb {
  constructor(private readonly greeter: Greeter) {}

  @InitialEvent()
  onMessage({ request, transaction }: SipRequestEvent, aci: ActivityContextInterface<SipRequestEvent>) {
    log.push(`skipper:${request.uri.user}:${aci.activity === transaction}`);
    transaction.respond(200, { reason: this.greeter.greet(request.uri.user ?? '') });
  }
}

/** Priority 10, without skipAnswered: sees every MESSAGE, answered or not. */
@Service({ name: 'Watcher', priority: 10 })
@Sbb()
class WatcherSbb {
  @InitialEvent()
  onMessage({ request, transaction }: SipRequestEvent) {
    log.push(`watcher:${request.uri.user}:${transaction.isAnswered}`);
  }
}

async function udpSocket(onMessage: (data: Buffer) => void): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  socket.on('message', onMessage);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port };
}

function requestText(method: string, uri: string, port: number, cseqMethod = method): string {
  return (
    `${method} ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKguard${port}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:caller@127.0.0.1>;tag=g1\r\nTo: <${uri}>\r\nCall-ID: guard-${port}@127.0.0.1\r\nCSeq: 1 ${cseqMethod}\r\n` +
    `Contact: <sip:caller@127.0.0.1:${port}>\r\nContent-Length: 0\r\n\r\n`
  );
}

/** Sends a request (and, if asked, its CANCEL once the SLEE holds it) and resolves with the final response to it. */
async function finalResponse(method: string, uri: string, port: number, cancel = false): Promise<SipResponse> {
  let resolveFinal!: (response: SipResponse) => void;
  const final = new Promise<SipResponse>((resolve) => (resolveFinal = resolve));
  const caller = await udpSocket((data) => {
    const response = parseMessage(data) as SipResponse;
    if (response.status >= 200 && response.cseq.method === method) resolveFinal(response);
  });
  caller.socket.send(requestText(method, uri, caller.port), port, '127.0.0.1');
  if (cancel) {
    await new Promise((r) => setTimeout(r, 200));
    caller.socket.send(requestText('CANCEL', uri, caller.port), port, '127.0.0.1');
  }
  try {
    return await final;
  } finally {
    caller.socket.close();
  }
}

test('skipAnswered: a service is not given what a higher-priority one answered; one without it is', async (t) => {
  log.length = 0;
  const port = await freePort();
  const { slee } = await startSipSlee(t, { port, transports: 'udp', domains: '127.0.0.1' }, GatekeeperSbb, SkipperSbb, WatcherSbb);
  assert.equal((await finalResponse('MESSAGE', 'sip:blocked@127.0.0.1', port)).status, 403);
  await slee.idle();
  assert.deepEqual(log, ['watcher:blocked:true'], 'no skipper entity for the refused MESSAGE');
  log.length = 0;
  const ok = await finalResponse('MESSAGE', 'sip:alice@127.0.0.1', port);
  await slee.idle();
  assert.equal(ok.status, 200);
  assert.equal(ok.reason, 'hello alice from 127.0.0.1', 'the injectables were built, with their facility and RA link');
  assert.deepEqual(log, ['skipper:alice:true', 'watcher:alice:true'], 'the typed aci.activity is the event transaction');
});

test('a request the caller cancels while its handler awaits refuses the answer and stops the handler cleanly', async (t) => {
  log.length = 0;
  const port = await freePort();
  const { slee } = await startSipSlee(t, { port, transports: 'udp', domains: '127.0.0.1' }, GatekeeperSbb);
  assert.equal((await finalResponse('INVITE', 'sip:slow@127.0.0.1', port, true)).status, 487, 'the stack answered the cancelled INVITE');
  releaseSlow();
  await slee.idle();
  assert.deepEqual(log, [], 'the handler stopped at the refused answer, and its transaction was not rolled back');
  const alarms = slee.kernel.alarms.list().map((a) => a.type);
  assert.ok(!alarms.some((a) => a.startsWith('sleet.sbb.')), `no handler failure: ${alarms.join(', ')}`);
});
