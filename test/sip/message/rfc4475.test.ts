import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isSupportedScheme,
  parseMessage,
  SipParseError,
  SipRequest,
  SipResponse,
  StreamFramer,
  unsupportedProxyRequire,
  unsupportedRequire,
  validateRequest,
} from '../../../resource-adaptors/sip/message/index.js';
import { INVALID, PARSES, torture, tortureVariant, VALID } from './torture-fixtures.js';

function request(name: string): SipRequest {
  const message = parseMessage(torture(name));
  assert.ok(message instanceof SipRequest, `${name} is a request`);
  return message;
}

function response(name: string): SipResponse {
  const message = parseMessage(torture(name));
  assert.ok(message instanceof SipResponse, `${name} is a response`);
  return message;
}

/** parseMessage must throw a SipParseError with that status and a reason mentioning `fault`. */
function rejected(data: Buffer, status: number, fault: RegExp): SipParseError {
  try {
    parseMessage(data);
  } catch (err) {
    assert.ok(err instanceof SipParseError, `expected SipParseError, got ${String(err)}`);
    assert.equal(err.status, status);
    assert.match(err.reason, fault);
    return err;
  }
  assert.fail('message was accepted');
}

describe('RFC 4475 §3.1.1 valid messages', () => {
  it('wsinv: a short tortuous INVITE', () => {
    const req = request('wsinv');
    assert.equal(req.method, 'INVITE');
    assert.equal(req.uri.user, 'vivekg');
    assert.equal(req.uri.host, 'chair-dnrc.example.com');
    assert.equal(req.uri.params.get('unknownparam'), null);
    assert.equal(req.to.uri.toString(), 'sip:vivekg@chair-dnrc.example.com');
    assert.equal(req.to.tag, '1918181833n');
    assert.equal(req.from.displayName, 'J Rosenberg \\"');
    assert.equal(req.from.tag, '98asjd8');
    assert.equal(req.maxForwards, 68);
    assert.equal(req.callId, 'wsinv.ndaksdj@192.0.2.1');
    assert.equal(req.contentLength, 150);
    assert.equal(req.get('Content-Length'), '150');
    assert.equal(req.cseq.seq, 9);
    assert.equal(req.cseq.method, 'INVITE');
    assert.deepEqual(
      req.vias.map((v) => [v.protocol, v.transport, v.host, v.branch]),
      [
        ['SIP/2.0', 'UDP', '192.0.2.2', '390skdjuw'],
        ['SIP/2.0', 'TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
        ['SIP/2.0', 'UDP', '192.168.255.111', 'z9hG4bK30239'],
      ],
    );
    assert.equal(req.get('Subject'), '');
    assert.equal(req.get('newfangledheader'), 'newfangled value continued newfangled value');
    assert.equal(req.get('UnknownHeaderWithUnusualValue'), ';;,,;;,;');
    assert.equal(req.contentType, 'application/sdp');
    const route = req.routes[0];
    assert.equal(req.routes.length, 1);
    assert.equal(route.uri.host, 'services.example.com');
    assert.deepEqual(
      [...route.uri.params],
      [
        ['lr', null],
        ['unknownwith', 'value'],
        ['unknown-no-value', null],
      ],
    );
    assert.equal(req.contacts.length, 1);
    const contact = req.contacts[0];
    assert.equal(contact.displayName, 'Quoted string ""');
    assert.deepEqual(
      [...contact.params],
      [
        ['newparam', 'newvalue'],
        ['secondparam', null],
        ['q', '0.33'],
      ],
    );
    assert.equal(req.body.toString('latin1').split('\r\n')[0], 'v=0');
    assert.equal(validateRequest(req), null);
  });

  it('intmeth: a wide range of valid characters', () => {
    const data = torture('intmeth');
    const req = request('intmeth');
    assert.equal(req.method, "!interesting-Method0123456789_*+`.%indeed'~");
    assert.equal(req.uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    assert.equal(req.uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    assert.equal(req.uri.host, 'example.com');
    // Raw BEL, NUL and DEL bytes inside quoted-pairs survive into the display name.
    assert.equal(req.to.displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
    assert.equal(req.to.uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    assert.equal(req.from.displayName, "token1~` token2'+_ token3*%!.-");
    assert.equal(req.from.tag, "_token~1'+`*%!-.");
    assert.equal(req.from.params.get("fromparam''~+*_!.-%"), '"работающий"');
    assert.equal(req.callId, 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    assert.equal(req.cseq.seq, 139122385);
    assert.equal(req.cseq.method, req.method);
    assert.equal(req.maxForwards, 255);
    assert.equal(req.get("extensionHeader-!.%*+_`'~"), '\ufeff大停電');
    assert.equal(req.topVia?.branch, "z9hG4bK-.!%66*_+`'~");
    assert.ok(req.toBuffer().equals(data));
    // Unknown method: the UAS answers 501 itself; the request is not malformed.
    assert.equal(validateRequest(req), null);
  });

  it('esc01: escapes are kept, never decoded', () => {
    const req = request('esc01');
    assert.equal(req.uri.user, 'sips%3Auser%40example.com');
    assert.equal(req.uri.host, 'example.net');
    assert.equal(req.to.uri.user, '%75se%72');
    assert.equal(req.from.uri.user, 'I%20have%20spaces');
    assert.equal(req.callId, 'esc01.239409asdfakjkn23onasd0-3234');
    assert.equal(req.contentType, 'application/sdp');
    const contact = req.contacts[0].uri;
    assert.equal(contact.user, 'cal%6Cer');
    assert.equal(contact.params.get('%6c%72'), null);
    assert.equal(contact.params.get('n%61me'), 'v%61lue%25%34%31');
  });

  it('escnull: escaped nulls do not truncate, two distinct contacts', () => {
    const req = request('escnull');
    assert.equal(req.to.uri.user, 'null-%00-null');
    assert.equal(req.from.uri.user, 'null-%00-null');
    assert.deepEqual(
      req.contacts.map((c) => c.uri.user),
      ['%00', '%00%00'],
    );
    assert.equal(req.contentLength, 0);
  });

  it('esc02: % in a method is not an escape', () => {
    const req = request('esc02');
    assert.equal(req.method, 'RE%47IST%45R');
    assert.notEqual(req.method, 'REGISTER');
    assert.equal(req.to.displayName, '%Z%45');
    assert.equal(req.topVia?.branch, 'z9hG4bK209%fzsnel234');
    assert.deepEqual(
      req.contacts.map((c) => c.uri.host),
      ['host1.example.com', 'host3.example.com'],
    );
    assert.equal(req.get('C%6Fntact'), '<sip:alias2@host2.example.com>');
    assert.equal(validateRequest(req), null);
  });

  it('lwsdisp: no LWS between display name and <', () => {
    const req = request('lwsdisp');
    assert.equal(req.from.displayName, 'caller');
    assert.equal(req.from.uri.user, 'caller');
    assert.equal(req.from.tag, '323');
  });

  it('longreq: long values and 34 Vias', () => {
    const req = request('longreq');
    assert.equal(req.vias.length, 34);
    assert.match(req.to.displayName ?? '', /^I have a user name of (extreme){10} proportion$/);
    assert.equal(req.to.uri.port, 6000);
    assert.match(req.from.uri.user ?? '', /^(amazinglylongcallername){5}$/);
    assert.match(req.from.tag ?? '', /^1(298){10}/);
    assert.match(req.callId, /^longreq\.one(really){10}/);
    assert.equal(req.contentLength, 150);
    assert.equal(validateRequest(req), null);
  });

  it('dblreq: bytes after Content-Length are ignored', () => {
    const data = torture('dblreq');
    const req = request('dblreq');
    assert.equal(req.method, 'REGISTER');
    assert.equal(req.body.length, 0);
    assert.equal(req.callId, 'dblreq.0ha0isndaksdj99sdfafnl3lk233412');
    const end = data.indexOf('\r\n\r\n') + 4;
    assert.ok(end < data.length, 'the datagram has trailing bytes');
    assert.ok(req.toBuffer().equals(data.subarray(0, end)));
  });

  it('semiuri: semicolons in the user part', () => {
    const req = request('semiuri');
    assert.equal(req.uri.user, 'user;par=u%40example.net');
    assert.equal(req.uri.host, 'example.com');
    assert.equal(req.uri.params.size, 0);
    assert.deepEqual(req.getAll('Accept'), [
      'application/sdp',
      'application/pkcs7-mime',
      'multipart/mixed',
      'multipart/signed',
      'message/sip',
      'message/sipfrag',
    ]);
  });

  it('transports: varied and unknown transports', () => {
    const req = request('transports');
    assert.deepEqual(
      req.vias.map((v) => v.transport),
      ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP'],
    );
    assert.equal(req.callId, 'transports.kijh4akdnaqjkwendsasfdj');
  });

  it('mpart01: binary multipart body intact', () => {
    const data = torture('mpart01');
    const req = request('mpart01');
    assert.equal(req.method, 'MESSAGE');
    assert.equal(req.contentLength, 553);
    assert.ok(req.body.equals(data.subarray(data.length - 553)));
    assert.ok(req.body.includes(0x00), 'the body holds NUL bytes');
    assert.equal(req.contentType, 'multipart/mixed;boundary=7a9cbec02ceef655');
    assert.equal(req.topVia?.rport, null);
    assert.ok(req.toBuffer().equals(data));
  });

  it('unreason: UTF-8 reason phrase', () => {
    const res = response('unreason');
    assert.equal(res.status, 200);
    assert.equal(res.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
    assert.equal(res.contentLength, 154);
  });

  it('noreason: empty reason phrase', () => {
    const res = response('noreason');
    assert.equal(res.status, 100);
    assert.equal(res.reason, '');
    assert.equal(res.cseq.method, 'INVITE');
  });
});

describe('RFC 4475 §3.1.2 invalid messages', () => {
  it('badinv01: extraneous separators -> 400 naming Via', () => {
    const err = rejected(torture('badinv01'), 400, /Via/);
    assert.equal(err.isResponse, false);
    assert.equal(err.partial?.get('Call-ID'), 'badinv01.0ha0isndaksdjasdf3234nas');
  });

  it('clerr: Content-Length larger than the datagram -> 400', () => {
    rejected(torture('clerr'), 400, /Content-Length/);
  });

  it('ncl: negative Content-Length -> 400', () => {
    rejected(torture('ncl'), 400, /Content-Length/);
  });

  it('scalar02: CSeq above 2^32-1 -> 400', () => {
    rejected(torture('scalar02'), 400, /CSeq/);
  });

  it('scalarlg: overlarge response scalars -> dropped', () => {
    const err = rejected(torture('scalarlg'), 400, /CSeq/);
    assert.equal(err.isResponse, true);
  });

  it('quotbal: unterminated quoted string -> 400', () => {
    rejected(torture('quotbal'), 400, /To/);
  });

  it('ltgtruri: <> around the Request-URI -> 400', () => {
    rejected(torture('ltgtruri'), 400, /Request-URI/);
  });

  it('lwsruri: LWS inside the Request-URI -> 400', () => {
    rejected(torture('lwsruri'), 400, /Request-Line/);
  });

  it('lwsstart: multiple SPs in the Request-Line -> 400', () => {
    // "May reject": this layer does not know whether its caller forwards the
    // request, and a forwarded one must not carry the extra SPs, so it rejects.
    const err = rejected(torture('lwsstart'), 400, /Request-Line/);
    assert.equal(err.partial?.get('Call-ID'), 'lwsstart.dfknq234oi243099adsdfnawe3@example.com');
  });

  it('trws: SP at the end of the Request-Line -> 400', () => {
    // Same reasoning as lwsstart.
    rejected(torture('trws'), 400, /Request-Line/);
  });

  it('escruri: headers in the Request-URI -> 400', () => {
    // "May reject": RFC 3261 §19.1.1 forbids them there, and rejecting is the
    // only way to be sure no layer ever turns them into real headers.
    rejected(torture('escruri'), 400, /Request-URI/);
  });

  it('baddate: non-GMT Date is accepted', () => {
    // "May reject only if the Date matters": nothing in the stack reads Date,
    // so the message is accepted with the header kept verbatim.
    const req = request('baddate');
    assert.equal(req.get('Date'), 'Fri, 01 Jan 2010 16:00:00 EST');
    assert.equal(validateRequest(req), null);
  });

  it('regbadct: addr-spec Contact with ?headers -> 400', () => {
    rejected(torture('regbadct'), 400, /Contact/);
  });

  it('badaspec: spaces inside <> -> 400', () => {
    rejected(torture('badaspec'), 400, /To/);
  });

  it('baddn: non-token display name -> 400 (both copies)', () => {
    rejected(torture('baddn'), 400, /From/);
    rejected(tortureVariant('baddn.ersip.dat'), 400, /From/);
  });

  it('badvers: SIP/7.0 -> 505', () => {
    const err = rejected(torture('badvers'), 505, /Version Not Supported/);
    assert.equal(err.partial?.get('Call-ID'), 'badvers.31417@c.example.com');
  });

  it('mismatch01: CSeq method differs from a known method -> 400', () => {
    const req = request('mismatch01');
    assert.equal(validateRequest(req)?.status, 400);
    assert.match(validateRequest(req)?.reason ?? '', /CSeq/);
  });

  it('mismatch02: unknown method with CSeq mismatch -> 501', () => {
    const req = request('mismatch02');
    assert.equal(req.method, 'NEWMETHOD');
    assert.deepEqual(validateRequest(req), { status: 501, reason: 'Not Implemented' });
  });

  it('bigcode: status code > 699 -> dropped', () => {
    const err = rejected(torture('bigcode'), 400, /Status-Line/);
    assert.equal(err.isResponse, true);
  });
});

describe('RFC 4475 §3.2-3.4 messages that parse', () => {
  it('badbranch: bare magic cookie parses', () => {
    const req = request('badbranch');
    assert.equal(req.topVia?.branch, 'z9hG4bK');
    assert.equal(validateRequest(req), null);
  });

  it('insuf: missing Call-ID/From/To -> 400 from validateRequest', () => {
    const req = request('insuf');
    assert.equal(req.has('From'), false);
    assert.equal(validateRequest(req)?.status, 400);
    assert.match(validateRequest(req)?.reason ?? '', /missing/);
  });

  it('unkscm: unknown Request-URI scheme', () => {
    const req = request('unkscm');
    assert.equal(req.uri.scheme, 'nobodyknowsthisscheme');
    assert.equal(req.uri.opaque, 'totallyopaquecontent');
    assert.equal(isSupportedScheme(req.uri.scheme), false);
    assert.equal(validateRequest(req), null);
  });

  it('novelsc: known but atypical scheme', () => {
    const req = request('novelsc');
    assert.equal(req.uri.scheme, 'soap.beep');
    assert.equal(req.uri.opaque, '//192.0.2.103:3002');
    assert.equal(isSupportedScheme(req.uri.scheme), false);
    assert.equal(isSupportedScheme(req.uri.scheme, ['sip', 'soap.beep']), true);
  });

  it('unksm2: non-SIP schemes in To/From/Contact', () => {
    const req = request('unksm2');
    assert.equal(req.to.uri.scheme, 'isbn');
    assert.equal(req.to.uri.opaque, '2983792873');
    assert.equal(req.from.uri.toString(), 'http://www.example.com');
    assert.equal(req.from.tag, '3234233');
    assert.equal(req.contacts[0].uri.scheme, 'name');
  });

  it('bext01: unsupported Require/Proxy-Require option tags', () => {
    const req = request('bext01');
    assert.deepEqual(unsupportedRequire(req, ['100rel']), ['nothingSupportsThis', 'nothingSupportsThisEither']);
    assert.deepEqual(unsupportedProxyRequire(req, ['noproxiessupportthis']), ['norDoAnyProxiesSupportThis']);
    assert.equal(req.topVia?.transport, 'TLS');
  });

  it('invut: unknown Content-Type parses', () => {
    const req = request('invut');
    assert.equal(req.contentType, 'application/unknownformat');
    assert.equal(req.body.toString(), '<audio>\r\n <pcmu port="443"/>\r\n</audio>\r\n');
  });

  it('regaut01: unknown Authorization scheme kept verbatim', () => {
    const req = request('regaut01');
    assert.equal(req.get('Authorization'), 'NoOneKnowsThisScheme opaque-data=here');
    assert.equal(req.contentLength, 0);
  });

  it('multi01: multiple single-value headers -> 400 from validateRequest', () => {
    const req = request('multi01');
    assert.equal(req.getAll('CSeq').length, 2);
    assert.equal(req.getAll('Call-ID').length, 2);
    assert.equal(validateRequest(req)?.status, 400);
  });

  it('mcl01: conflicting Content-Length -> 400 from validateRequest on a datagram', () => {
    const req = request('mcl01');
    assert.deepEqual(req.getAll('Content-Length'), ['13', '5']);
    const verdict = validateRequest(req);
    assert.equal(verdict?.status, 400);
    assert.match(verdict?.reason ?? '', /Content-Length/);
  });

  it('bcast: broadcast Via in a response parses', () => {
    const res = response('bcast');
    assert.deepEqual(
      res.vias.map((v) => v.host),
      ['192.0.2.198', '255.255.255.255'],
    );
  });

  it('zeromf: Max-Forwards 0 parses', () => {
    const req = request('zeromf');
    assert.equal(req.maxForwards, 0);
    assert.equal(validateRequest(req), null);
  });

  it('cparam01: unbracketed Contact parameter is a header parameter', () => {
    const contact = request('cparam01').contacts[0];
    assert.equal(contact.uri.user, '+19725552222');
    assert.equal(contact.uri.params.size, 0);
    assert.equal(contact.params.get('unknownparam'), null);
    assert.ok(contact.params.has('unknownparam'));
  });

  it('cparam02: bracketed Contact parameter is a URI parameter', () => {
    const contact = request('cparam02').contacts[0];
    assert.ok(contact.uri.params.has('unknownparam'));
    assert.equal(contact.params.size, 0);
  });

  it('regescrt: escaped header in a bracketed Contact URI kept as is', () => {
    const contact = request('regescrt').contacts[0];
    assert.equal(contact.uri.headers.get('Route'), '%3Csip:sip.example.com%3E');
    assert.equal(contact.uri.toString(), 'sip:user@example.com?Route=%3Csip:sip.example.com%3E');
  });

  it('sdp01: Accept without application/sdp parses', () => {
    const req = request('sdp01');
    assert.deepEqual(req.getAll('Accept'), ['text/nobodyKnowsThis']);
    assert.equal(req.contentType, 'application/sdp');
  });

  it('inv2543: RFC 2543 syntax (no branch, tag, Content-Length, Max-Forwards)', () => {
    const data = torture('inv2543');
    const req = request('inv2543');
    assert.equal(req.topVia?.branch, undefined);
    assert.equal(req.from.tag, undefined);
    assert.equal(req.maxForwards, undefined);
    assert.equal(req.has('Content-Length'), false);
    assert.ok(req.body.equals(data.subarray(data.indexOf('\r\n\r\n') + 4)));
    assert.equal(req.body.length, 105);
    assert.equal(req.recordRoutes[0].uri.params.get('maddr'), 'ss1.example.com');
    // Unbracketed, so ;user=phone belongs to the header, not the URI (as in cparam01).
    assert.equal(req.to.params.get('user'), 'phone');
    assert.equal(req.to.uri.params.size, 0);
    assert.equal(validateRequest(req), null);
  });
});

/** Where a message ends per its own header section and Content-Length, computed independently of the parser. */
function declaredEnd(data: Buffer): number {
  const headEnd = data.indexOf('\r\n\r\n') + 4;
  const length = /^(?:content-length|l)[ \t]*:[ \t]*([0-9]+)/im.exec(data.subarray(0, headEnd).toString('latin1'));
  assert.ok(length !== null, 'the fixture declares a Content-Length');
  return headEnd + Number(length[1]);
}

/** Feeds `data` through a framer in chunks of `size` bytes, returning what it produced. */
function frame(data: Buffer, size: number): Array<{ kind: string; data: Buffer }> {
  const framer = new StreamFramer();
  const out: Array<{ kind: string; data: Buffer }> = [];
  for (let i = 0; i < data.length; i += size) out.push(...framer.push(data.subarray(i, i + size)));
  return out;
}

describe('RFC 4475 messages through StreamFramer', () => {
  const streamFatal = new Set(['ncl', 'mcl01', 'inv2543']);
  const waiting = new Set(['clerr', 'baddn']);
  for (const name of [...VALID, ...PARSES, ...INVALID].filter((n) => n !== 'dblreq')) {
    it(`${name} in chunks of 1..N bytes`, () => {
      const data = torture(name);
      for (const size of [1, 7, 64, data.length]) {
        if (streamFatal.has(name)) {
          assert.throws(
            () => frame(data, size),
            (err) => err instanceof SipParseError && /Content-Length/.test(err.reason),
          );
        } else if (waiting.has(name)) {
          assert.deepEqual(frame(data, size), []);
        } else {
          const out = frame(data, size);
          assert.equal(out.length, 1);
          assert.equal(out[0].kind, 'message');
          assert.ok(out[0].data.equals(data.subarray(0, declaredEnd(data))), `${name} framed whole, ${size}-byte chunks`);
        }
      }
    });
  }

  it('dblreq: on a stream the trailing bytes are a second message, then garbage that is fatal', () => {
    // The datagram's tail is an INVITE whose body is 5 bytes longer than its
    // Content-Length; on a stream those 5 bytes are a header section without one.
    const data = torture('dblreq');
    const framer = new StreamFramer();
    const out: Array<{ kind: string; data: Buffer }> = [];
    assert.throws(
      () => {
        for (let i = 0; i < data.length; i += 3) out.push(...framer.push(data.subarray(i, i + 3)));
      },
      (err) => err instanceof SipParseError && /Content-Length/.test(err.reason),
    );
    assert.deepEqual(
      out.map((item) => item.kind),
      ['message', 'keepalive', 'message'],
    );
    assert.ok(out[0].data.equals(data.subarray(0, declaredEnd(data))));
    assert.equal((parseMessage(out[0].data) as SipRequest).method, 'REGISTER');
    assert.equal((parseMessage(out[2].data) as SipRequest).method, 'INVITE');
    assert.throws(() => framer.push(Buffer.from('OPTIONS')), SipParseError, 'the framer stays failed');
  });
});
