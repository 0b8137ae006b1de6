import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CSeq, headerKey, parseMessage, Via } from '../../../resource-adaptors/sip/message/index.js';

describe('header names', () => {
  it('map every spelling of a known header to its key', () => {
    for (const name of ['Content-Length', 'content-length', 'CONTENT-LENGTH', 'Content-length', 'l', 'L']) {
      assert.equal(headerKey(name), 'content-length', name);
    }
    assert.equal(headerKey('Call-Id'), 'call-id');
    assert.equal(headerKey('WWW-Authenticate'), 'www-authenticate');
  });

  it('do not confuse look-alikes with known headers', () => {
    assert.equal(headerKey('Vib'), 'vib');
    assert.equal(headerKey('Via2'), 'via2');
    assert.equal(headerKey('Content-Lengths'), 'content-lengths');
    assert.equal(headerKey('Content-Lengtx'), 'content-lengtx');
    assert.equal(headerKey('X-Very-Long-Extension-Header-Name-Beyond-Any-Known-One'), 'x-very-long-extension-header-name-beyond-any-known-one');
  });

  it('are recognised on the wire in any case and re-serialised canonically', () => {
    const data = Buffer.from(
      [
        'OPTIONS sip:bob@biloxi.example.com SIP/2.0',
        'VIA: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776',
        'max-forwards: 70',
        'to: <sip:bob@biloxi.example.com>',
        'FROM: <sip:alice@atlanta.example.com>;tag=1',
        'Call-Id: abc',
        'cseq: 1 OPTIONS',
        'Vib: unknown, kept as spelled',
        'l: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const req = parseMessage(data);
    assert.equal(req.topVia?.branch, 'z9hG4bK776');
    assert.equal(req.maxForwards, 70);
    assert.equal(req.callId, 'abc');
    assert.equal(req.get('vib'), 'unknown, kept as spelled');
    req.set('Max-Forwards', '69');
    const text = req.toBuffer().toString();
    for (const line of ['Via: SIP', 'Max-Forwards: 69', 'To: <', 'From: <', 'Call-ID: abc', 'CSeq: 1', 'Vib: unknown', 'Content-Length: 0']) {
      assert.ok(text.includes(`\r\n${line}`), line);
    }
  });
});

describe('CSeq', () => {
  it('parses digits, LWS and a method token', () => {
    assert.deepEqual({ ...CSeq.parse('1 INVITE') }, { seq: 1, method: 'INVITE' });
    assert.deepEqual({ ...CSeq.parse(' 007 \t ACK ') }, { seq: 7, method: 'ACK' });
    assert.equal(CSeq.parse('4294967295 BYE').seq, 4294967295);
  });

  it('rejects anything else', () => {
    for (const bad of ['1INVITE', '1 IN VITE', 'x INVITE', '4294967296 INVITE', '1', ' INVITE', '1 INV"ITE', '']) {
      assert.throws(() => CSeq.parse(bad), /CSeq/, JSON.stringify(bad));
    }
  });
});

describe('Via', () => {
  it('normalises the sent-protocol and keeps its parameters', () => {
    const via = Via.parse('sip / 2.0 / udp host.example.com:5060 ;branch=z9hG4bKa;rport');
    assert.equal(via.protocol, 'SIP/2.0');
    assert.equal(via.transport, 'UDP');
    assert.equal(via.branch, 'z9hG4bKa');
    assert.equal(via.rport, null);
    assert.equal(Via.parse('SIP/3.0/TCP h').protocol, 'SIP/3.0');
  });
});

describe('re-serialisation after a change', () => {
  it('prints every header canonically, whether its received line is reused or rebuilt', () => {
    const data = Buffer.from(
      [
        'INVITE sip:bob@biloxi.example.com SIP/2.0',
        'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1',
        'v:  SIP/2.0/UDP b.example.com;branch=z9hG4bK2',
        'Max-Forwards: 70',
        'From: <sip:alice@atlanta.example.com>;tag=1',
        'To : <sip:bob@biloxi.example.com>',
        'Call-ID: abc ',
        'CSeq: 1',
        ' INVITE',
        'X-Mine: kept',
        'x-mine: kept too',
        'Content-Type: text/plain',
        'Content-Length: 2',
        '',
        'hi',
      ].join('\r\n'),
    );
    const req = parseMessage(data);
    req.set('Max-Forwards', '69');
    req.add('Via', 'SIP/2.0/TCP c.example.com;branch=z9hG4bK3', true);
    const expected = [
      'INVITE sip:bob@biloxi.example.com SIP/2.0',
      'Via: SIP/2.0/TCP c.example.com;branch=z9hG4bK3',
      'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1',
      'Via: SIP/2.0/UDP b.example.com;branch=z9hG4bK2',
      'Max-Forwards: 69',
      'From: <sip:alice@atlanta.example.com>;tag=1',
      'To: <sip:bob@biloxi.example.com>',
      'Call-ID: abc',
      'CSeq: 1 INVITE',
      'X-Mine: kept',
      'x-mine: kept too',
      'Content-Type: text/plain',
      'Content-Length: 2',
      '',
      'hi',
    ].join('\r\n');
    assert.equal(req.toBuffer().toString(), expected);
    req.body = Buffer.from('hello');
    assert.equal(req.toBuffer().toString(), expected.replace('Content-Length: 2', 'Content-Length: 5').replace(/hi$/, 'hello'));
    const copy = req.clone();
    copy.remove('X-Mine');
    assert.equal(copy.toBuffer().toString().includes('X-Mine'), false);
    assert.equal(req.toBuffer().toString().includes('X-Mine: kept\r\nx-mine: kept too'), true);
  });
});
