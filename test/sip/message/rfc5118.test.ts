import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseMessage, SipParseError, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/rfc5118/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(`${FIXTURES}${name}.dat`);
const request = (name: string): SipRequest => {
  const message = parseMessage(fixture(name));
  assert.ok(message.isRequest, `${name} is a request`);
  return message as SipRequest;
};

/** What a parser must make of each valid RFC 5118 §4 message. */
describe('RFC 5118 IPv6 torture messages: valid ones parse to the right values', () => {
  it('ipv6-good: IPv6 references in the Request-URI, Via and Contact', () => {
    const r = request('ipv6-good');
    assert.equal(r.uri.host, '[2001:db8::10]');
    assert.equal(r.uri.port, undefined);
    assert.equal(r.topVia!.host, '[2001:db8::9:1]');
    assert.equal(r.topVia!.port, undefined);
    assert.equal(r.contacts[0]!.uri.host, '[2001:db8::1]');
  });

  it('port-ambiguous: the colon group inside the brackets is address, not port', () => {
    const r = request('port-ambiguous');
    assert.equal(r.uri.host, '[2001:db8::10:5070]');
    assert.equal(r.uri.port, undefined);
  });

  it('port-unambiguous: the port after the closing bracket', () => {
    const r = request('port-unambiguous');
    assert.equal(r.uri.host, '[2001:db8::10]');
    assert.equal(r.uri.port, 5070);
    assert.equal(r.uri.toString(), 'sip:[2001:db8::10]:5070');
  });

  it('via-received-param-with-delim and -no-delim: received read either way, port next to the reference', () => {
    for (const name of ['via-received-param-with-delim', 'via-received-param-no-delim']) {
      const via = request(name).topVia!;
      assert.equal(via.host, '[2001:db8::9:1]', name);
      assert.equal(via.port, 6050, name);
      assert.equal(via.received?.replace(/^\[|\]$/g, ''), '2001:db8::9:255', name);
    }
  });

  it('ipv6-in-sdp and mult-ip-in-sdp: the SDP body is carried byte for byte', () => {
    for (const name of ['ipv6-in-sdp', 'mult-ip-in-sdp']) {
      const raw = fixture(name);
      const r = request(name);
      const body = raw.subarray(raw.indexOf('\r\n\r\n') + 4);
      assert.deepEqual(r.body, body, name);
      assert.match(r.body.toString(), /c=IN IP6 2001:db8::/, name);
      assert.deepEqual(parseMessage(r.toBuffer()).body, body, `${name} survives serialisation`);
    }
  });

  it('mult-ip-in-header: IPv4 and IPv6 Vias and Contacts side by side', () => {
    const r = request('mult-ip-in-header');
    assert.deepEqual(
      r.vias.map((v) => [v.host, v.port ?? null]),
      [
        ['[2001:db8::9:1]', 6050],
        ['192.0.2.1', null],
        ['[2001:db8::9:255]', null],
      ],
    );
    assert.equal(r.vias[2]!.received, '192.0.2.200');
    assert.deepEqual(
      r.contacts.map((c) => c.uri.host),
      ['[2001:db8::9:1]', '192.0.2.1'],
    );
    assert.equal(r.contacts[0]!.uri.port, 6050);
  });

  it('ipv4-mapped-ipv6: IPv4-mapped references in Via and Contact, with ports', () => {
    const r = request('ipv4-mapped-ipv6');
    assert.equal(r.topVia!.host, '[::ffff:192.0.2.10]');
    assert.equal(r.topVia!.port, 19823);
    assert.equal(r.contacts[0]!.uri.host, '[::ffff:192.0.2.10]');
    assert.equal(r.contacts[0]!.uri.port, 19823);
    assert.match(r.body.toString(), /c=IN IP6 ::ffff:192\.0\.2\.10/);
  });

  it('ipv6-correct-abnf-2-colons: an embedded IPv4 tail is fine', () => {
    assert.equal(request('ipv6-correct-abnf-2-colons').uri.host, '[2001:db8::192.0.2.1]');
  });
});

describe('RFC 5118 IPv6 torture messages: invalid ones get a 400', () => {
  for (const name of ['ipv6-bad', 'ipv6-bug-abnf-3-colons']) {
    it(name, () => {
      assert.throws(
        () => request(name).uri.host,
        (err: unknown) => err instanceof SipParseError && err.status === 400,
        `${name} must be refused with 400`,
      );
    });
  }
});

describe('malformed IPv6 references beyond RFC 5118: a 400, never a crash', () => {
  const base = (uri: string, via: string) =>
    Buffer.from(
      `OPTIONS ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP ${via};branch=z9hG4bKbad6\r\nMax-Forwards: 70\r\n` +
        `From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: bad6\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
    );
  const cases: Array<[string, Buffer, (r: SipRequest) => unknown]> = [
    ['unclosed bracket in the Request-URI', base('sip:[2001:db8::1', '[::1]:5060'), (r) => r.uri.host],
    ['not an address between the brackets', base('sip:[zz::1]', '[::1]:5060'), (r) => r.uri.host],
    ['port out of range next to a reference', base('sip:[::1]:99999', '[::1]:5060'), (r) => r.uri.port],
    ['three colons in Via sent-by', base('sip:[::1]', '[2001:db8:::1]:5060'), (r) => r.topVia],
    ['not an address in Via sent-by', base('sip:[::1]', '[<<>>]'), (r) => r.topVia],
  ];
  for (const [what, data, read] of cases) {
    it(what, () => {
      assert.throws(
        () => read(parseMessage(data) as SipRequest),
        (err: unknown) => err instanceof SipParseError && err.status === 400,
        `${what} must be refused with 400`,
      );
    });
  }
});
