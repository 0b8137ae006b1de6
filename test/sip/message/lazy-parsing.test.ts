import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { NameAddr, parseMessage, SipParseError, SipRequest, SipResponse, SipUri, Via } from '../../../resource-adaptors/sip/message/index.js';
import { callsDuring } from './calls-during.js';
import { mutateText, prng } from './mutate.js';

const URIS = [
  'sip:alice@atlanta.example.com',
  'sips:bob:secret@[2001:db8::1]:5061;transport=tcp;lr?subject=x&h',
  'SIP:Carol%41@Host.example.COM:5060;Maddr=192.0.2.1',
  'tel:+1-555-0100',
  'sip:[::1]',
  'sip:host;a=b@c',
  'sip:u@h:5060]',
  'sip:%zz@h',
  'sip:a@b;c;d=e?f=g&',
];
const NOISE = ':@;?&=[]%/.-_+ aZ09\t<>"\\,é';

function outcome(run: () => void): string {
  try {
    run();
    return 'accepted';
  } catch (err) {
    assert.ok(SleetError.is(err, ErrorCode.SIP_PARSE), `only SleetError(SIP_PARSE), got ${String(err)}`);
    return err.message;
  }
}

describe('SipUri.check', () => {
  it('accepts and rejects exactly what parse() does, with the same error', () => {
    const random = prng(4475);
    let rejected = 0;
    for (let i = 0; i < 5000; i++) {
      const text = mutateText(URIS[i % URIS.length], random, NOISE);
      const parsed = outcome(() => SipUri.parse(text));
      assert.equal(
        outcome(() => SipUri.check(text)),
        parsed,
        JSON.stringify(text),
      );
      if (parsed !== 'accepted') rejected++;
    }
    assert.ok(rejected > 500 && rejected < 4500, 'the mutations exercise both verdicts');
  });

  it('names the faulty element', () => {
    assert.throws(() => SipUri.check('sip:user@host:99999'), /URI port/);
    assert.throws(() => SipUri.check('sip:@host'), /URI user/);
    assert.throws(() => SipUri.check('sip:a@ho st'), /URI host/);
    assert.throws(() => SipUri.check('sip:host;=x'), /URI parameter/);
    assert.throws(() => SipUri.check('sip:host?&'), /URI header/);
    assert.throws(() => SipUri.check(' sip:host'), /URI/);
  });
});

describe('SipUri parameter and header maps', () => {
  it('exist on demand and serialise what is put in them', () => {
    const uri = SipUri.parse('sip:bob@biloxi.example.com');
    assert.equal(uri.params.size, 0);
    assert.equal(uri.headers.size, 0);
    assert.equal(uri.transport, undefined);
    uri.params.set('transport', 'tcp');
    uri.headers.set('Subject', 'hi');
    assert.equal(uri.transport, 'tcp');
    assert.equal(uri.toString(), 'sip:bob@biloxi.example.com;transport=tcp?Subject=hi');
  });

  it('can be replaced, and clones do not share them', () => {
    const uri = SipUri.parse('sip:proxy.example.com;lr');
    const copy = uri.clone();
    copy.params.set('maddr', '192.0.2.1');
    assert.deepEqual([...uri.params], [['lr', null]]);
    uri.params = new Map([['ob', null]]);
    assert.equal(uri.toString(), 'sip:proxy.example.com;ob');
    assert.equal(copy.toString(), 'sip:proxy.example.com;lr;maddr=192.0.2.1');
  });
});

describe('NameAddr URIs are parsed when read', () => {
  it('gives the same URI and serialisation as an eager parse would', () => {
    const addr = NameAddr.parse('"Carol" <SIP:Carol@Host.example.com;Transport=UDP>;tag=x1');
    assert.equal(addr.tag, 'x1');
    assert.equal(addr.toString(), '"Carol" <sip:Carol@Host.example.com;transport=UDP>;tag=x1');
    assert.equal(addr.uri.scheme, 'sip');
    assert.equal(addr.uri.transport, 'UDP');
    assert.equal(addr.uri, addr.uri, 'parsed once, then the same object');
  });

  it('rejects a malformed URI while parsing the header, not later', () => {
    assert.throws(
      () => NameAddr.parse('<sip:a@ho st>'),
      (err) => SleetError.is(err, ErrorCode.SIP_PARSE),
    );
    assert.throws(() => NameAddr.parse('sip:a@b:70000;tag=1'), /URI port/);
  });

  it('keeps the uri setter and deep clones', () => {
    const addr = NameAddr.parse('<sip:alice@atlanta.example.com>');
    const copy = addr.clone();
    copy.uri.host = 'elsewhere.example.com';
    assert.equal(addr.uri.host, 'atlanta.example.com');
    addr.uri = SipUri.parse('sip:bob@biloxi.example.com');
    assert.equal(addr.toString(), '<sip:bob@biloxi.example.com>');
    assert.equal(new NameAddr().uri.toString(), 'sip:');
  });
});

function request(headers: string[]): Buffer {
  return Buffer.from(['OPTIONS sip:bob@biloxi.example.com SIP/2.0', ...headers, 'Content-Length: 0', '', ''].join('\r\n'));
}

const GOOD = [
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: <sip:bob@biloxi.example.com>',
  'From: <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 1 OPTIONS',
  'Contact: <sip:alice@pc33.atlanta.example.com>',
];

describe('parse-time checks', () => {
  for (const [header, bad] of [
    ['From', 'From: <sip:alice@atlanta.example.com:99999>;tag=1'],
    ['To', 'To: <sip:bob@bi loxi.example.com>'],
    ['Contact', 'Contact: <sip:@pc33.atlanta.example.com>'],
  ] as const) {
    it(`a malformed URI in ${header} is a 400 naming ${header}`, () => {
      const headers = GOOD.map((line) => (line.startsWith(`${header}:`) ? bad : line));
      assert.throws(
        () => parseMessage(request(headers)),
        (err) => err instanceof SipParseError && err.status === 400 && err.reason.includes(header),
      );
    });
  }

  it('re-parses a header after set() and a clone starts from the headers', () => {
    const req = parseMessage(request(GOOD)) as SipRequest;
    assert.equal(req.from.tag, '1928301774');
    req.set('From', '<sip:carol@chicago.example.com>;tag=77');
    assert.equal(req.from.tag, '77');
    assert.equal(req.from.uri.host, 'chicago.example.com');
    req.add('Via', 'SIP/2.0/TCP proxy.example.com;branch=z9hG4bKtop', true);
    assert.equal(req.topVia?.host, 'proxy.example.com');
    assert.equal(req.vias.length, 2);
    const copy = req.clone();
    copy.set('Max-Forwards', '9');
    assert.equal(copy.maxForwards, 9);
    assert.equal(req.maxForwards, 70);
    copy.from.params.set('tag', 'changed');
    assert.equal(req.from.tag, '77', 'the clone parsed its own From');
  });
});

describe('Via values', () => {
  const viaLines = ['Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKtop', 'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8'];
  const withVias = (lines: string[]) => request([...lines, ...GOOD.filter((line) => !line.startsWith('Via:'))]);

  it('all of them read after the top one parse the top value once: vias[0] is the Via topVia gave', () => {
    const req = parseMessage(withVias(viaLines)) as SipRequest;
    const top = req.topVia;
    assert.equal(req.vias[0], top);
    assert.deepEqual(
      req.vias.map((via) => `${via.host} ${via.branch}`),
      ['proxy.example.com z9hG4bKtop', 'pc33.atlanta.example.com z9hG4bKnashds8'],
    );
  });

  it('a Via set since is the one read, and a malformed value after the top one still fails', () => {
    const req = parseMessage(withVias(viaLines)) as SipRequest;
    void req.topVia;
    req.set('Via', ['SIP/2.0/TCP other.example.com;branch=z9hG4bKnew', 'SIP/2.0/UDP second.example.com;branch=z9hG4bK2']);
    assert.deepEqual(
      req.vias.map((via) => via.host),
      ['other.example.com', 'second.example.com'],
    );
    const bad = parseMessage(withVias([viaLines[0]!, 'Via: SIP/2.0/UDP bad host;branch=z9hG4bK2'])) as SipRequest;
    assert.equal(bad.topVia?.host, 'proxy.example.com');
    assert.throws(
      () => bad.vias,
      (err) => SleetError.is(err, ErrorCode.SIP_PARSE),
    );
  });
});

describe('a response built from a request', () => {
  it('takes a copy of the top Via the request parsed: it is read again to send the response', () => {
    const req = parseMessage(request(GOOD)) as SipRequest;
    const parsed = req.topVia!;
    const trying = SipResponse.fromRequest(req, 100);
    assert.equal(
      callsDuring(Via, 'parse', () => assert.equal(trying.topVia?.branch, 'z9hG4bK776asdhds')),
      0,
    );
    assert.notEqual(trying.topVia, parsed);
    trying.topVia!.params.set('received', '192.0.2.1');
    assert.equal(req.topVia?.received, undefined, "the response's Via is its own");
  });

  it('with every Via parsed, copies the first; with none parsed, parses its own', () => {
    const lines = ['Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKtop, SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK2', ...GOOD.slice(1)];
    const req = parseMessage(request(lines)) as SipRequest;
    req.set('Via', req.getAll('Via'));
    assert.equal(req.vias.length, 2);
    assert.equal(SipResponse.fromRequest(req, 100).topVia?.host, 'proxy.example.com');
    const unread = (parseMessage(request(lines)) as SipRequest).clone();
    assert.deepEqual(
      SipResponse.fromRequest(unread, 100).vias.map((via) => via.branch),
      ['z9hG4bKtop', 'z9hG4bK2'],
    );
  });
});
