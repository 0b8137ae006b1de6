import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { test, type TestContext } from 'node:test';
import { startFloorRelay } from '../../bench/sip-load/floor-relay.js';

interface Peer {
  socket: Socket;
  port: number;
  next(): Promise<string>;
}

/** A UDP peer on 127.0.0.1 that keeps what it receives, for reading in turn. */
async function peer(t: TestContext): Promise<Peer> {
  const socket = createSocket('udp4');
  const inbox: string[] = [];
  const waiting: Array<(text: string) => void> = [];
  socket.on('message', (data) => {
    const text = data.toString('latin1');
    const reader = waiting.shift();
    if (reader) reader(text);
    else inbox.push(text);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.after(() => socket.close());
  const next = () => {
    const text = inbox.shift();
    if (text !== undefined) return Promise.resolve(text);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('nothing received in 2 s')), 2000);
      waiting.push((received) => {
        clearTimeout(timer);
        resolve(received);
      });
    });
  };
  return { socket, port: socket.address().port, next };
}

function message(lines: string[]): string {
  return [...lines, 'Content-Length: 0', '', ''].join('\r\n');
}

function header(text: string, name: string): string[] {
  return text
    .split('\r\n')
    .filter((line) => line.startsWith(`${name}: `))
    .map((line) => line.slice(name.length + 2));
}

/** `user`@bench.test registered at the relay with `from` as its contact; resolves with the relay's answer. */
function register(relayPort: number, from: Peer, user: string): Promise<string> {
  from.socket.send(
    message([
      'REGISTER sip:bench.test SIP/2.0',
      `Via: SIP/2.0/UDP 127.0.0.1:${from.port};branch=z9hG4bKreg-${user}`,
      `From: <sip:${user}@bench.test>;tag=r1`,
      `To: <sip:${user}@bench.test>`,
      `Call-ID: reg-${user}`,
      'CSeq: 1 REGISTER',
      `Contact: <sip:${user}@127.0.0.1:${from.port}>`,
    ]),
    relayPort,
    '127.0.0.1',
  );
  return from.next();
}

test('the floor relay: registers a callee, record-routes and relays its call both ways, and pops its own Via', async (t) => {
  const relay = await startFloorRelay(0);
  t.after(() => relay.close());
  const self = `127.0.0.1:${relay.port}`;
  const callee = await peer(t);
  const caller = await peer(t);
  const send = (from: Socket, text: string) => from.send(text, relay.port, '127.0.0.1');

  const registered = await register(relay.port, callee, 'bob');
  assert.match(registered, /^SIP\/2\.0 200 OK\r\n/);
  assert.deepEqual(header(registered, 'Contact'), [`<sip:bob@127.0.0.1:${callee.port}>;expires=3600`]);

  const callerVia = `SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bKinv1`;
  send(
    caller.socket,
    message([
      'INVITE sip:bob@bench.test SIP/2.0',
      `Via: ${callerVia}`,
      'Max-Forwards: 70',
      'From: <sip:alice@bench.test>;tag=a1',
      'To: <sip:bob@bench.test>',
      'Call-ID: call-1',
      'CSeq: 1 INVITE',
    ]),
  );
  const invite = await callee.next();
  assert.match(invite, new RegExp(`^INVITE sip:bob@127\\.0\\.0\\.1:${callee.port} SIP/2\\.0\\r\\n`));
  assert.deepEqual(header(invite, 'Record-Route'), [`<sip:${self};lr>`]);
  assert.deepEqual(header(invite, 'Via'), [`SIP/2.0/UDP ${self};branch=z9hG4bKinv1.f`, `${callerVia};received=127.0.0.1;rport=${caller.port}`]);
  assert.deepEqual(header(invite, 'Max-Forwards'), ['69']);

  // The callee answers with both Vias on one line, as SIPp's [last_Via:] writes them.
  send(
    callee.socket,
    message([
      'SIP/2.0 200 OK',
      `Via: ${header(invite, 'Via').join(', ')}`,
      `Record-Route: <sip:${self};lr>`,
      'From: <sip:alice@bench.test>;tag=a1',
      'To: <sip:bob@bench.test>;tag=b1',
      'Call-ID: call-1',
      'CSeq: 1 INVITE',
    ]),
  );
  const ok = await caller.next();
  assert.match(ok, /^SIP\/2\.0 200 OK\r\n/);
  assert.deepEqual(header(ok, 'Via'), [`${callerVia};received=127.0.0.1;rport=${caller.port}`]);

  send(
    caller.socket,
    message([
      `BYE sip:bob@127.0.0.1:${callee.port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bKbye1`,
      `Route: <sip:${self};lr>`,
      'Max-Forwards: 70',
      'From: <sip:alice@bench.test>;tag=a1',
      'To: <sip:bob@bench.test>;tag=b1',
      'Call-ID: call-1',
      'CSeq: 2 BYE',
    ]),
  );
  const bye = await callee.next();
  assert.match(bye, new RegExp(`^BYE sip:bob@127\\.0\\.0\\.1:${callee.port} SIP/2\\.0\\r\\n`));
  assert.deepEqual(header(bye, 'Route'), [], 'its own Route is consumed');
  assert.deepEqual(header(bye, 'Record-Route'), [], 'only a dialog-creating INVITE is record-routed');
  assert.equal(header(bye, 'Via').length, 2);
});

test('the floor relay answers an unknown callee with 404 and an exhausted Max-Forwards with 483', async (t) => {
  const relay = await startFloorRelay(0);
  t.after(() => relay.close());
  const caller = await peer(t);
  const invite = (maxForwards: number) =>
    message([
      'INVITE sip:nobody@bench.test SIP/2.0',
      `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bKx${maxForwards}`,
      `Max-Forwards: ${maxForwards}`,
      'From: <sip:alice@bench.test>;tag=a1',
      'To: <sip:nobody@bench.test>',
      'Call-ID: call-2',
      'CSeq: 1 INVITE',
    ]);
  caller.socket.send(invite(70), relay.port, '127.0.0.1');
  assert.match(await caller.next(), /^SIP\/2\.0 404 Not Found\r\n[\s\S]*\r\nTo: <sip:nobody@bench\.test>;tag=floor\d+\r\n/);

  await register(relay.port, await peer(t), 'nobody');
  caller.socket.send(invite(0), relay.port, '127.0.0.1');
  assert.match(await caller.next(), /^SIP\/2\.0 483 Too Many Hops\r\n/);
});
