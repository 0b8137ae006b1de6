import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import {
  generateBranch,
  generateCallId,
  generateTag,
  NameAddr,
  parseMessage,
  RFC3261_BRANCH_PREFIX,
  SipRequest,
  SipResponse,
  SipUri,
  StreamFramer,
  Via,
} from '../../../resource-adaptors/sip/message/index.js';
import { PARSES, torture, VALID } from './torture-fixtures.js';

const INVITE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds, SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bKx;rport',
  'Max-Forwards: 70',
  't: Bob <sip:bob@biloxi.example.com>',
  'f: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'i: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
  'm: <sip:alice@pc33.atlanta.example.com>',
  'X-Custom: kept as is',
  'c: application/sdp',
  'l: 4',
  '',
  'v=0\n',
].join('\r\n');

function invite(): SipRequest {
  return parseMessage(Buffer.from(INVITE)) as SipRequest;
}

describe('round trip', () => {
  for (const name of [...VALID, ...PARSES]) {
    it(`${name}: parse -> toBuffer gives the same bytes`, () => {
      const data = torture(name);
      const message = parseMessage(data);
      const end = name === 'dblreq' ? data.indexOf('\r\n\r\n') + 4 : data.length;
      assert.ok(message.toBuffer().equals(data.subarray(0, end)));
      assert.ok(message.clone().toBuffer().equals(data.subarray(0, end)), 'a clone round-trips too');
    });
  }
});

describe('compact forms and folding', () => {
  it('expands compact names and splits comma-joined list values', () => {
    const req = invite();
    assert.equal(req.callId, 'a84b4c76e66710@pc33.atlanta.example.com');
    assert.equal(req.get('Call-ID'), req.get('i'));
    assert.deepEqual(req.getAll('Via').length, 2);
    assert.equal(req.vias[1].host, '[2001:db8::1]');
    assert.equal(req.vias[1].port, 5061);
    assert.equal(req.vias[1].rport, null);
    assert.equal(req.vias[0].rport, undefined);
    assert.equal(req.contentType, 'application/sdp');
    assert.deepEqual(req.headerNames(), ['Via', 'Max-Forwards', 'To', 'From', 'Call-ID', 'CSeq', 'Contact', 'X-Custom', 'Content-Type', 'Content-Length']);
  });

  it('treats CRLF + SP/HT as whitespace', () => {
    const data = Buffer.from(
      'OPTIONS sip:a@b.example SIP/2.0\r\nVia: SIP/2.0/UDP\r\n\th.example\r\n ;branch=z9hG4bK1\r\n' +
        'To: <sip:a@b.example>\r\nFrom: <sip:c@d.example>\r\n  ;tag=x\r\nCall-ID: 1\r\nCSeq: 1\r\n OPTIONS\r\n' +
        'Subject: a\r\n  b\r\nContent-Length: 0\r\n\r\n',
    );
    const req = parseMessage(data) as SipRequest;
    assert.equal(req.topVia?.host, 'h.example');
    assert.equal(req.topVia?.branch, 'z9hG4bK1');
    assert.equal(req.from.tag, 'x');
    assert.equal(req.cseq.method, 'OPTIONS');
    assert.equal(req.get('subject'), 'a b');
  });
});

describe('modification and re-serialisation', () => {
  it('decrements Max-Forwards, prepends a Via and fixes Content-Length', () => {
    const req = invite();
    const branch = generateBranch();
    req.set('Max-Forwards', String(req.maxForwards! - 1));
    req.add('Via', `SIP/2.0/UDP proxy.example.com;branch=${branch}`, true);
    req.body = Buffer.from('v=0\r\nx=yz\r\n');
    const again = parseMessage(req.toBuffer()) as SipRequest;
    assert.equal(again.maxForwards, 69);
    assert.deepEqual(
      again.vias.map((v) => v.branch),
      [branch, 'z9hG4bK776asdhds', 'z9hG4bKx'],
    );
    assert.equal(again.get('Content-Length'), '11');
    assert.equal(again.body.toString(), 'v=0\r\nx=yz\r\n');
    assert.equal(again.get('X-Custom'), 'kept as is');
    assert.equal(again.from.tag, '1928301774');
    assert.ok(req.toBuffer().equals(again.toBuffer()), 'serialising is stable');
  });

  it('set() replaces the one line of a header where it stands, appends a header not there, and makes several lines one at the first', () => {
    const req = invite();
    req.add('Route', '<sip:a.example;lr>');
    req.add('Subject', 'first');
    req.add('Route', '<sip:b.example;lr>');
    const names = (m: SipRequest) =>
      [
        ...m
          .toBuffer()
          .toString()
          .matchAll(/^([A-Za-z-]+):/gm),
      ].map((x) => x[1]);
    const before = names(req);
    const copy = req.clone();
    copy.set('Max-Forwards', '9');
    assert.deepEqual(names(copy), before, 'a header with one line keeps its place');
    assert.equal(copy.maxForwards, 9);
    assert.equal(req.maxForwards, 70, 'the original keeps its own line');
    copy.set('Priority', 'urgent');
    assert.deepEqual(names(copy), [...before, 'Priority'], 'a header not there goes last');
    copy.set('Route', '<sip:c.example;lr>');
    assert.deepEqual(copy.getAll('Route'), ['<sip:c.example;lr>']);
    const routeAt = names(copy).indexOf('Route');
    assert.equal(routeAt, before.indexOf('Route'), 'several lines become one where the first stood');
    assert.deepEqual(req.getAll('Route'), ['<sip:a.example;lr>', '<sip:b.example;lr>']);
  });

  it('invalidates the typed cache of a changed header only', () => {
    const req = invite();
    const from = req.from;
    const before = req.topVia;
    assert.equal(req.from, from, 'cached');
    req.set('From', '<sip:carol@chicago.example.com>;tag=99');
    assert.equal(req.from.uri.user, 'carol');
    assert.equal(req.from.tag, '99');
    assert.equal(req.topVia, before, 'other headers stay cached');
    // Read through a function: assert narrowing would otherwise pin req.topVia to undefined.
    const topOf = (message: SipRequest): Via | undefined => message.topVia;
    req.remove('Via');
    assert.equal(topOf(req), undefined);
    assert.deepEqual(req.vias, []);
    req.add('v', 'SIP/2.0/TLS new.example.com;branch=z9hG4bKn');
    assert.equal(topOf(req)?.transport, 'TLS');
    assert.equal(req.vias.length, 1);
  });

  it('re-serialises start-line changes', () => {
    const req = invite();
    req.uri = SipUri.parse('sip:bob@192.0.2.4:5070;transport=tcp');
    const uri: SipUri = (parseMessage(req.toBuffer()) as SipRequest).uri;
    assert.deepEqual([uri.port, uri.transport], [5070, 'tcp']);
    const res = parseMessage(torture('noreason')) as SipResponse;
    res.reason = 'Trying';
    assert.match(res.toBuffer().toString(), /^SIP\/2\.0 100 Trying\r\n/);
  });

  it('clones deeply', () => {
    const req = invite();
    const copy = req.clone();
    copy.set('To', '<sip:other@example.com>');
    copy.uri.user = 'changed';
    assert.equal(req.to.uri.user, 'bob');
    assert.equal(req.uri.user, 'bob');
    assert.ok(copy instanceof SipRequest);
  });

  it('a clone carries every field of its original, and only those', () => {
    // Fields a clone gets afresh; any other field a message gains must be copied, or this fails.
    const fresh = new Set(['slots', 'body', 'rawBody', 'cache', 'parsedUri']);
    const received = invite();
    assert.equal(received.uri.user, 'bob', 'the Request-URI, parsed on first use');
    const edited = invite();
    edited.uri = SipUri.parse('sip:carol@chicago.example.com');
    edited.method = 'MESSAGE';
    edited.set('Subject', 'edited');
    edited.body = Buffer.from('new body');
    const answer = parseMessage(Buffer.from('SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n')) as SipResponse;
    answer.reason = 'Ringing here';
    const made = SipRequest.create('OPTIONS', 'sip:carol@chicago.example.com', { 'Call-ID': 'c1' });
    for (const original of [received, edited, answer, made]) {
      const copy = original.clone();
      const fields = (m: object) => Object.keys(m).sort();
      assert.deepEqual(fields(copy), fields(original));
      for (const field of fields(original)) {
        if (fresh.has(field)) continue;
        assert.equal((copy as unknown as Record<string, unknown>)[field], (original as unknown as Record<string, unknown>)[field], field);
      }
      assert.ok(copy.toBuffer().equals(original.toBuffer()));
      copy.set('Call-ID', 'other');
      copy.body = Buffer.from('other');
      assert.notEqual(original.get('Call-ID'), 'other');
      assert.notEqual(original.body.toString(), 'other');
    }
  });

  it('a malformed typed header throws SleetError(SIP_PARSE) naming it', () => {
    const req = invite();
    req.set('Expires', 'soon');
    assert.throws(
      () => req.expires,
      (err) => SleetError.is(err, ErrorCode.SIP_PARSE) && /Expires/.test(err.message),
    );
    req.set('Route', '<sip:a.example;lr>, junk');
    assert.throws(
      () => req.routes,
      (err) => SleetError.is(err, ErrorCode.SIP_PARSE) && /Route/.test(err.message),
    );
  });
});

describe('factories', () => {
  it('SipRequest.create builds a parseable request', () => {
    const req = SipRequest.create('OPTIONS', 'sip:carol@chicago.example.com', {
      Via: `SIP/2.0/UDP 127.0.0.1:5060;branch=${generateBranch()}`,
      From: `<sip:alice@atlanta.example.com>;tag=${generateTag()}`,
      To: '<sip:carol@chicago.example.com>',
      'Call-ID': generateCallId('127.0.0.1'),
      CSeq: '1 OPTIONS',
      'Max-Forwards': '70',
    });
    const again = parseMessage(req.toBuffer()) as SipRequest;
    assert.equal(again.method, 'OPTIONS');
    assert.equal(again.contentLength, 0);
    assert.ok(again.topVia?.branch?.startsWith(RFC3261_BRANCH_PREFIX));
    assert.match(again.callId, /@127\.0\.0\.1$/);
  });

  it('SipResponse.fromRequest copies Vias, From, To (+tag), Call-ID, CSeq', () => {
    const req = invite();
    const res = SipResponse.fromRequest(req, 180, undefined, 'totag1');
    const again = parseMessage(res.toBuffer()) as SipResponse;
    assert.equal(again.status, 180);
    assert.equal(again.reason, 'Ringing');
    assert.deepEqual(again.getAll('Via'), req.getAll('Via'));
    assert.equal(again.to.tag, 'totag1');
    assert.equal(again.from.tag, '1928301774');
    assert.equal(again.callId, req.callId);
    assert.equal(again.cseq.toString(), '314159 INVITE');
    assert.equal(SipResponse.fromRequest(again as unknown as SipRequest, 200, 'OK', 'other').to.tag, 'totag1');
  });

  it('a 400 can be built from a partial request', () => {
    try {
      parseMessage(torture('quotbal'));
      assert.fail('accepted');
    } catch (err) {
      const partial = (err as { partial?: SipRequest }).partial;
      assert.ok(partial instanceof SipRequest);
      const res = SipResponse.fromRequest(partial, 400, (err as { reason: string }).reason, 'x');
      assert.equal(res.callId, 'quotbal.aksdj');
      assert.equal(res.get('To'), '"Mr. J. User <sip:j.user@example.com>');
    }
  });
});

describe('header element parsers', () => {
  it('SipUri keeps escapes and serialises canonically', () => {
    const uri = SipUri.parse('SIP:%61lice:pw@Atlanta.example.com:5060;Transport=UDP;lr?subject=hi&x=%20');
    assert.equal(uri.scheme, 'sip');
    assert.equal(uri.user, '%61lice');
    assert.equal(uri.password, 'pw');
    assert.equal(uri.transport, 'UDP');
    assert.equal(uri.params.get('lr'), null);
    assert.equal(uri.param('lr'), null);
    assert.equal(uri.param('transport'), 'UDP');
    assert.equal(uri.param('maddr'), undefined);
    assert.equal(uri.hasHeaders, true);
    assert.equal(uri.headers.get('x'), '%20');
    const plain = SipUri.parse('sip:bob@biloxi.example.com');
    assert.equal(plain.param('lr'), undefined);
    assert.equal(plain.hasHeaders, false);
    assert.equal(SipUri.parse('sip:p1.example.com;lr').hasHeaders, false);
    assert.equal(uri.toString(), 'sip:%61lice:pw@Atlanta.example.com:5060;transport=UDP;lr?subject=hi&x=%20');
    assert.equal(SipUri.parse('tel:+1-201-555-0123;phone-context=x').opaque, '+1-201-555-0123;phone-context=x');
    for (const bad of ['sip:', 'sip:a@', 'sip:host:99999', 'sip:h;;lr', 'sip:a b@h', '<sip:h>', 'sip:h?', 'sip:u%4@h']) {
      assert.throws(
        () => SipUri.parse(bad),
        (err) => SleetError.is(err, ErrorCode.SIP_PARSE),
        bad,
      );
    }
  });

  it('NameAddr handles both forms, wildcards and lists', () => {
    const list = NameAddr.parseList('"A, B" <sip:a@x.example;lr>;q=0.5, sip:c@y.example;expires=60, <sip:d@z.example>');
    assert.deepEqual(
      list.map((a) => a.uri.user),
      ['a', 'c', 'd'],
    );
    assert.equal(list[0].displayName, 'A, B');
    assert.equal(list[0].params.get('q'), '0.5');
    assert.equal(list[1].params.get('expires'), '60');
    assert.equal(list[0].toString(), '"A, B" <sip:a@x.example;lr>;q=0.5');
    assert.equal(NameAddr.parse('*').wildcard, true);
    assert.equal(NameAddr.parse('*').toString(), '*');
    assert.equal(NameAddr.parse('"a\\"b" <sip:h.example>').toString(), '"a\\"b" <sip:h.example>');
  });

  it('Via serialises what it parsed', () => {
    const via = Via.parse('SIP / 2.0 / udp  host.example : 5060 ; branch = z9hG4bK1 ; received=192.0.2.1');
    assert.equal(via.toString(), 'SIP/2.0/UDP host.example:5060;branch=z9hG4bK1;received=192.0.2.1');
    assert.equal(via.received, '192.0.2.1');
    assert.equal(Via.parse('sip/2.0/tls-sctp h.example').toString(), 'SIP/2.0/TLS-SCTP h.example');
    assert.equal(Via.parse('SIP/3.0/Udp h.example:65535').toString(), 'SIP/3.0/UDP h.example:65535');
    assert.equal(Via.parse('SIPX/2.0/UDP h.example').protocol, 'SIPX/2.0');
    assert.equal(Via.parse('SIP/2.01/UDP h.example').protocol, 'SIP/2.01');
    assert.equal(Via.parse('SIP/2.0/FOO h.example:0').transport, 'FOO');
    for (const bad of ['SIP/2.0/UDP', 'SIP/2.0/UDP h.example:65536', 'SIP/2.0/UDP h.example:', 'SIP/2.0/UDP h.example:5x', '/2.0/UDP h', 'SIP//UDP h']) {
      assert.throws(
        () => Via.parse(bad),
        (err) => SleetError.is(err, ErrorCode.SIP_PARSE),
        bad,
      );
    }
  });
});

describe('limits and framing', () => {
  it('rejects messages over the size limit', () => {
    const data = Buffer.from(INVITE);
    assert.throws(
      () => parseMessage(data, { maxMessageSize: 100 }),
      (err) => SleetError.is(err, ErrorCode.SIP_MESSAGE_TOO_LARGE),
    );
    assert.throws(
      () => new StreamFramer({ maxMessageSize: 100 }).push(data),
      (err) => SleetError.is(err, ErrorCode.SIP_MESSAGE_TOO_LARGE),
    );
  });

  it('reports keep-alives and frames back-to-back messages', () => {
    const framer = new StreamFramer();
    const one = Buffer.from(INVITE);
    const out = framer.push(Buffer.concat([Buffer.from('\r\n\r\n'), one, Buffer.from('\r\n'), one.subarray(0, 10)]));
    assert.deepEqual(
      out.map((item) => [item.kind, item.data.length]),
      [
        ['keepalive', 4],
        ['message', one.length],
        ['keepalive', 2],
      ],
    );
    const rest = framer.push(one.subarray(10));
    assert.equal(rest.length, 1);
    assert.ok(rest[0].data.equals(one));
  });

  it('decodes the header section as UTF-8 whatever bytes the body holds, and frames what follows the body apart', () => {
    const head = (length: number) =>
      Buffer.from(
        [
          'MESSAGE sip:bob@biloxi.example.com SIP/2.0',
          'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
          'Max-Forwards: 70',
          'To: <sip:bob@biloxi.example.com>',
          'From: "José Núñez" <sip:jose@atlanta.example.com>;tag=1928301774',
          'Call-ID: a84b4c76e66710',
          'CSeq: 1 MESSAGE',
          'Content-Type: application/octet-stream',
          `Content-Length: ${length}`,
          '',
          '',
        ].join('\r\n'),
      );
    // 0xff never occurs in UTF-8: the datagram as a whole is not valid UTF-8, its header section is.
    const binary = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x80]);
    const data = Buffer.concat([head(binary.length), binary]);
    const req = parseMessage(data) as SipRequest;
    assert.equal(req.from.displayName, 'José Núñez');
    assert.ok(req.body.equals(binary));
    assert.ok(req.toBuffer().equals(data));

    const empty = Buffer.concat([Buffer.from('\r\n'), head(0), Buffer.from('trailing bytes')]);
    const noBody = parseMessage(empty) as SipRequest;
    assert.equal(noBody.body.length, 0);
    assert.ok(noBody.toBuffer().equals(head(0)), 'the leading CRLF and the bytes after Content-Length are not the message');
    noBody.set('Subject', 'x');
    const edited = noBody.toBuffer().toString();
    assert.match(edited, /\r\nSubject: x\r\n/);
    assert.match(edited, /\r\nContent-Length: 0\r\n/);
    assert.ok(edited.endsWith('\r\n\r\n'));
  });
});
