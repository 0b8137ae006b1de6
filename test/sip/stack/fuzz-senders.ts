import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { addressedTo } from '../message/addressed-to.js';
import { mutate, prng } from '../message/mutate.js';
import { INVALID, PARSES, torture, VALID } from '../message/torture-fixtures.js';

export interface FuzzBounds {
  /** Stop sending after this long... */
  seconds: number;
  /** ...but not before this many messages (a loaded machine still tests something)... */
  atLeast: number;
  /** ...nor after this many. */
  atMost: number;
  seed: number;
}

/** Every RFC 4475 message, its top Via pointing at 127.0.0.1:`port`. */
function corpus(port: number): Buffer[] {
  return [...VALID, ...PARSES, ...INVALID].map((name) => addressedTo(torture(name), port));
}

/** Mutated torture messages as datagrams from one socket to 127.0.0.1:`port`; resolves with the count sent. */
export async function fuzzOverUdp(port: number, bounds: FuzzBounds): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  socket.on('message', () => undefined);
  const messages = corpus(socket.address().port);
  const random = prng(bounds.seed);
  const deadline = Date.now() + bounds.seconds * 1000;
  let sent = 0;
  try {
    while (sent < bounds.atLeast || (Date.now() < deadline && sent < bounds.atMost)) {
      socket.send(mutate(messages[sent % messages.length]!, random), port, '127.0.0.1');
      sent++;
      if (sent % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    socket.close();
  }
  return sent;
}

/**
 * Mutated torture messages over TCP to 127.0.0.1:`port`, one per connection:
 * a broken Content-Length would otherwise swallow the messages after it.
 * Every connection is closed before it resolves with the count sent.
 */
const OPEN_PER_SOURCE = 50;

export async function fuzzOverTcp(port: number, bounds: FuzzBounds): Promise<number> {
  const messages = corpus(9);
  const random = prng(bounds.seed);
  const deadline = Date.now() + bounds.seconds * 1000;
  const sockets: Socket[] = [];
  let sent = 0;
  try {
    while (sent < bounds.atLeast || (Date.now() < deadline && sent < bounds.atMost)) {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      socket.on('data', () => undefined);
      sockets.push(socket);
      await new Promise<void>((r) => {
        socket.once('connect', () => r());
        socket.once('close', () => r());
      });
      if (!socket.destroyed) socket.write(mutate(messages[sent % messages.length]!, random));
      sent++;
      // One source holds at most OPEN_PER_SOURCE connections, under the node's per-source limit (100 by default).
      if (sockets.length >= OPEN_PER_SOURCE) sockets.shift()!.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  return sent;
}
