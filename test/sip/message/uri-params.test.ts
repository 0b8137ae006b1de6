import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SipUri } from '../../../resource-adaptors/sip/message/index.js';

/** What the URI's parameters are, read through the map. */
function entries(uri: SipUri): [string, string | null][] {
  return [...uri.params];
}

describe('URI parameters kept as received text until a map is asked for', () => {
  it('reads each parameter and prints the text as it came', () => {
    const uri = SipUri.parse('sip:proxy.example.com:5070;lr;transport=tcp;x-tok=a/b:c[d]&e+f$%41?h=1');
    assert.equal(uri.param('lr'), null);
    assert.equal(uri.param('transport'), 'tcp');
    assert.equal(uri.transport, 'tcp');
    assert.equal(uri.param('x-tok'), 'a/b:c[d]&e+f$%41');
    assert.equal(uri.param('l'), undefined);
    assert.equal(uri.param('lrx'), undefined);
    assert.equal(uri.param('x'), undefined);
    assert.equal(uri.toString(), 'sip:proxy.example.com:5070;lr;transport=tcp;x-tok=a/b:c[d]&e+f$%41?h=1');
    assert.deepEqual(entries(uri), [
      ['lr', null],
      ['transport', 'tcp'],
      ['x-tok', 'a/b:c[d]&e+f$%41'],
    ]);
  });

  it('lower-cases names, and lets a repeated name keep its first place and last value, as the map always did', () => {
    const mixed = SipUri.parse('sip:a.example.com;LR;Transport=TCP');
    assert.equal(mixed.param('lr'), null);
    assert.equal(mixed.param('transport'), 'TCP');
    assert.equal(mixed.toString(), 'sip:a.example.com;lr;transport=TCP');
    const repeated = SipUri.parse('sip:a.example.com;a=1;b;a=2');
    assert.equal(repeated.param('a'), '2');
    assert.equal(repeated.toString(), 'sip:a.example.com;a=2;b');
    assert.deepEqual(entries(repeated), [
      ['a', '2'],
      ['b', null],
    ]);
  });

  it('lower-cases an escaped name as the map did, and finds a parameter only by its whole name', () => {
    const uri = SipUri.parse('sip:a.example.com;%4C%52=1;lr2;x=%4C');
    assert.equal(uri.param('%4c%52'), '1');
    assert.equal(uri.param('lr'), undefined);
    assert.equal(uri.param('x'), '%4C');
    assert.equal(uri.toString(), 'sip:a.example.com;%4c%52=1;lr2;x=%4C');
    const printed = SipUri.parse('sip:a.example.com;lr2;lr=x');
    assert.equal(printed.param('lr'), 'x');
    assert.equal(printed.param('lr2'), null);
  });

  it('prints changes made through the map, and a clone changes apart from its original', () => {
    const uri = SipUri.parse('sip:a.example.com;lr;ftag=1');
    const copy = uri.clone();
    assert.equal(copy.toString(), 'sip:a.example.com;lr;ftag=1');
    copy.params.set('maddr', '192.0.2.1');
    copy.params.delete('ftag');
    assert.equal(copy.toString(), 'sip:a.example.com;lr;maddr=192.0.2.1');
    assert.equal(copy.param('ftag'), undefined);
    assert.equal(uri.toString(), 'sip:a.example.com;lr;ftag=1');
    assert.equal(uri.param('ftag'), '1');
    uri.params = new Map([['transport', 'udp']]);
    assert.equal(uri.toString(), 'sip:a.example.com;transport=udp');
    assert.equal(uri.param('lr'), undefined);
  });

  it('keeps more parameters than it scans for repeats in a map, with the same answers', () => {
    const names = Array.from({ length: 20 }, (_, i) => `p${i}=v${i}`);
    const uri = SipUri.parse(`sip:a.example.com;${names.join(';')};p3=last`);
    assert.equal(uri.param('p3'), 'last');
    assert.equal(uri.param('p19'), 'v19');
    assert.equal(uri.params.size, 20);
  });
});
