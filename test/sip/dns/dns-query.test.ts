import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { queryTimed, TYPE_NAPTR, TYPE_SRV } from '../../../resource-adaptors/sip/transport/locate/dns-query.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';

/** A name in wire form, uncompressed. */
function wireName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])), Buffer.from([0])]);
}

function rr(type: number, ttl: number, rdata: Buffer, name: Buffer = Buffer.from([0xc0, 12])): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([name, fixed, rdata]);
}

function srv(priority: number, weight: number, port: number, target: string): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt16BE(priority, 0);
  head.writeUInt16BE(weight, 2);
  head.writeUInt16BE(port, 4);
  return Buffer.concat([head, wireName(target)]);
}

/** The response to `query`: its id and question, `flags`, then answer and authority records. */
function reply(query: Buffer, flags: number, answers: Buffer[], authority: Buffer[] = [], id = query.readUInt16BE(0)): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  header.writeUInt16BE(authority.length, 8);
  return Buffer.concat([header, query.subarray(12), ...answers, ...authority]);
}

const OK = 0x8180;

/** A DNS server on 127.0.0.1 answering each query with what `answer` makes of it (nothing for undefined). */
async function fakeDns(answer: (query: Buffer) => Buffer[] | undefined): Promise<{ socket: Socket; server: string }> {
  const socket = createSocket('udp4');
  socket.on('message', (query, from) => {
    for (const message of answer(query) ?? []) socket.send(message, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, server: `127.0.0.1:${socket.address().port}` };
}

describe('SRV and NAPTR on the wire, with their TTL', () => {
  const servers: Socket[] = [];
  let silent: string;
  let good: string;
  let refusing: string;
  let looping: string;
  let truncating: string;
  let negative: string;

  before(async () => {
    const add = async (answer: (query: Buffer) => Buffer[] | undefined): Promise<string> => {
      const fake = await fakeDns(answer);
      servers.push(fake.socket);
      return fake.server;
    };
    silent = await add(() => undefined);
    // Someone else's answer first (wrong id): it is ignored, not taken for ours.
    good = await add((q) => [
      reply(q, OK, [rr(TYPE_SRV, 5, srv(9, 9, 9, 'wrong.test'))], [], q.readUInt16BE(0) ^ 1),
      reply(q, OK, [rr(TYPE_SRV, 300, srv(1, 10, 5070, 'a.test')), rr(TYPE_SRV, 120, srv(2, 0, 5080, 'b.test'))]),
    ]);
    refusing = await add((q) => [reply(q, 0x8185, [])]);
    // An answer whose owner name points at itself.
    looping = await add((q) => [reply(q, OK, [rr(TYPE_SRV, 60, srv(1, 1, 1, 'x.test'), Buffer.from([0xc0, q.length]))])]);
    truncating = await add((q) => [reply(q, OK | 0x0200, [])]);
    const soa = Buffer.concat([wireName('ns.test'), wireName('hostmaster.test'), Buffer.alloc(16), Buffer.from([0, 0, 0, 30])]);
    negative = await add((q) => [reply(q, 0x8183, [], [rr(6, 600, soa, wireName('test'))])]);
  });

  after(() => {
    for (const socket of servers) socket.close();
  });

  it('reads SRV records and keeps the smallest TTL of the set', async () => {
    assert.deepEqual(await queryTimed([good], '_sip._udp.x.test', TYPE_SRV, 500), {
      records: [
        { priority: 1, weight: 10, port: 5070, name: 'a.test' },
        { priority: 2, weight: 0, port: 5080, name: 'b.test' },
      ],
      ttl: 120,
    });
  });

  it('reads NAPTR records', async () => {
    const naptrRdata = Buffer.concat([
      Buffer.from([0, 10, 0, 20]),
      Buffer.from([1, ...Buffer.from('S')]),
      Buffer.from([7, ...Buffer.from('SIP+D2T')]),
      Buffer.from([0]),
      wireName('_sip._tcp.x.test'),
    ]);
    const naptr = await fakeDns((q) => [reply(q, OK, [rr(TYPE_NAPTR, 77, naptrRdata)])]);
    try {
      assert.deepEqual(await queryTimed([naptr.server], 'x.test', TYPE_NAPTR, 500), {
        records: [{ order: 10, preference: 20, flags: 'S', service: 'SIP+D2T', regexp: '', replacement: '_sip._tcp.x.test' }],
        ttl: 77,
      });
    } finally {
      naptr.socket.close();
    }
  });

  it('NXDOMAIN is an empty answer living min(SOA TTL, SOA minimum) (RFC 2308)', async () => {
    assert.deepEqual(await queryTimed([negative], '_sip._udp.x.test', TYPE_SRV, 500), { records: [], ttl: 30 });
  });

  it('goes on to the next server after silence, a refusal or a malformed answer', async () => {
    const answer = await queryTimed([silent, refusing, looping, good], '_sip._udp.x.test', TYPE_SRV, 200);
    assert.notEqual(answer, 'truncated');
    assert.equal((answer as { ttl: number }).ttl, 120);
  });

  it('says so when the answer was truncated', async () => {
    assert.equal(await queryTimed([truncating], '_sip._udp.x.test', TYPE_SRV, 500), 'truncated');
  });

  it('with no server answering, is a SLEET_ERR_SIP_DNS', async () => {
    await assert.rejects(queryTimed([silent, refusing, looping], '_sip._udp.x.test', TYPE_SRV, 200), (err) => SleetError.is(err, ErrorCode.SIP_DNS));
  });
});
