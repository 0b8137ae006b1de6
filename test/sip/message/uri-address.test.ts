import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressOfRecord, SipUri, uriAddress } from '../../../resource-adaptors/sip/message/index.js';

const address = (text: string) => uriAddress(SipUri.parse(text));

test('a SIP URI is known by scheme, user and lower-cased host; port and parameters do not count', () => {
  assert.equal(address('sip:Alice@Example.COM:5070;transport=tcp?Subject=x'), 'sip:Alice@example.com');
  assert.equal(address('sips:Gateway.Example.com'), 'sips:gateway.example.com');
});

test('a global tel: number is known by its digits, without visual separators or parameters (RFC 3966 §4)', () => {
  assert.equal(address('tel:+1-212-555-0101'), 'tel:+12125550101');
  assert.equal(address('tel:+1.(212).555.0101;isub=12'), 'tel:+12125550101');
  assert.equal(address('TEL:+44-20-7946-0958'), 'tel:+442079460958');
});

test('a local tel: number keeps its phone-context, which it needs to mean anything', () => {
  assert.equal(address('tel:7042;phone-context=Example.COM'), 'tel:7042;phone-context=example.com');
  assert.equal(address('tel:80-1b;ext=3;phone-context=+1-212'), 'tel:801B;phone-context=+1212');
  assert.notEqual(address('tel:7042;phone-context=a.example'), address('tel:7042;phone-context=b.example'));
});

test('another scheme is known by its text as received', () => {
  assert.equal(address('urn:service:sos'), 'urn:service:sos');
  assert.equal(address('mailto:Bob@Example.com'), 'mailto:Bob@Example.com');
});

test('an address of record files a sips: URI under its sip: twin (RFC 5630 §3.1.1) and is otherwise the address', () => {
  const aor = (text: string) => addressOfRecord(SipUri.parse(text));
  assert.equal(aor('sips:Bob@Example.COM:5061;transport=tls'), 'sip:Bob@example.com');
  assert.equal(aor('SIPS:bob@example.com'), 'sip:bob@example.com');
  assert.equal(aor('sip:bob@Example.com'), 'sip:bob@example.com');
  assert.equal(aor('tel:+1-212-555-0101'), 'tel:+12125550101');
});
