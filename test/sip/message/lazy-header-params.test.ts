import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { formatParams, parseHeaderParams } from '../../../resource-adaptors/sip/message/header-params.js';
import { NameAddr, Via } from '../../../resource-adaptors/sip/message/index.js';
import { mutateText, prng } from './mutate.js';

const PARAMS = [
  ';branch=z9hG4bK776asdhds;rport',
  ';branch=z9hG4bK1;received=192.0.2.1;rport=5060',
  ';tag=1928301774',
  ';expires=3600;+sip.instance="<urn:uuid:0;1>";reg-id=1;q=0.7',
  ';+sip.instance="<urn:uuid:0;x=1>";reg-id=1',
  ';maddr=[2001:db8::1];ttl=16',
  ';Tag=UPPER;tag=again',
  ' ; branch = spaced ; rport',
  ';a;b;c;a=dup',
  '',
];
const NOISE = ';=" \t\\aB9-.[]:<>,';

interface Reading {
  params: Array<[string, string | null]>;
  printed: string;
  values: Record<string, string | null | undefined>;
}

/** What a parse gives, or its error: the same for the lazy parse and for the eager map it stands for. */
function read(
  run: () => { params: Map<string, string | null>; param(name: string): string | null | undefined; toString(): string },
  names: string[],
): Reading | string {
  try {
    const parsed = run();
    const values = Object.fromEntries(names.map((name) => [name, parsed.param(name)]));
    const printed = parsed.toString();
    return { params: [...parsed.params], printed, values };
  } catch (err) {
    assert.ok(SleetError.is(err, ErrorCode.SIP_PARSE), `only SleetError(SIP_PARSE), got ${String(err)}`);
    return err.message;
  }
}

function eager(head: string, params: string, what: string, names: string[]): Reading | string {
  try {
    const map = parseHeaderParams(params, 0, what);
    return {
      params: [...map],
      printed: `${head}${formatParams(map)}`,
      values: Object.fromEntries(names.map((name) => [name, map.get(name)])),
    };
  } catch (err) {
    return (err as Error).message.replace(params, `${head}${params}`);
  }
}

const NAMES = ['branch', 'rport', 'received', 'tag', 'expires', '+sip.instance', 'reg-id', 'a', 'maddr', 'x'];

describe('Via and NameAddr parameters are kept as received text until their map is read', () => {
  it('read, print and reject exactly as the eager map does, over mutated parameters', () => {
    const random = prng(3261);
    let lazyKept = 0;
    for (let i = 0; i < 4000; i++) {
      const params = mutateText(PARAMS[i % PARAMS.length]!, random, NOISE, 0);
      if (!/^([; \t]|$)/.test(params)) continue; // a mutation that reaches into the sent-by or the URI is theirs to judge
      for (const [head, parse, what] of [
        ['SIP/2.0/UDP host.example.com:5060', (t: string) => Via.parse(t), 'Via header'],
        ['<sip:bob@biloxi.example.com>', (t: string) => NameAddr.parse(t), 'header parameters'],
      ] as const) {
        if (/^[ \t]|[ \t]$/.test(params) && head.startsWith('<')) continue; // trimmed as a whole header: not the parameters' own outcome
        const lazy = read(() => parse(`${head}${params}`), NAMES);
        const reference = eager(head, params, what, NAMES);
        if (typeof reference === 'string') {
          assert.equal(typeof lazy, 'string', `${head}${params}: accepted, but the eager parse rejects it`);
          continue;
        }
        assert.deepEqual(lazy, reference, `${head}${params}`);
        if (params.length > 0 && (lazy as Reading).printed.endsWith(params)) lazyKept++;
      }
    }
    assert.ok(lazyKept > 1000, `the canonical cases were exercised: ${lazyKept}`);
  });

  it('build no Map to read the branch, rport, tag, to print or to clone', () => {
    const NativeMap = globalThis.Map;
    let built = 0;
    globalThis.Map = class CountingMap<K, V> extends NativeMap<K, V> {
      constructor(entries?: Iterable<readonly [K, V]> | null) {
        super(entries);
        built++;
      }
    } as MapConstructor;
    try {
      const via = Via.parse('SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport');
      const from = NameAddr.parse('"Alice" <sip:alice@atlanta.example.com>;tag=1928301774');
      const route = NameAddr.parse('<sip:p1.example.com;lr>');
      assert.equal(via.branch, 'z9hG4bK776asdhds');
      assert.equal(via.rport, null);
      assert.equal(via.received, undefined);
      assert.equal(from.tag, '1928301774');
      assert.equal(route.tag, undefined);
      assert.equal(via.clone().toString(), 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport');
      assert.equal(from.clone().toString(), '"Alice" <sip:alice@atlanta.example.com>;tag=1928301774');
      assert.equal(built, 0, 'no Map until one is asked for');
      assert.equal(via.params.get('branch'), 'z9hG4bK776asdhds');
      assert.equal(built, 1);
    } finally {
      globalThis.Map = NativeMap;
    }
  });

  it('change through the map once it is read, and a clone taken before keeps the received text', () => {
    const via = Via.parse('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport');
    const before = via.clone();
    via.params.set('received', '198.51.100.7');
    via.params.set('rport', '5062');
    assert.equal(via.toString(), 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport=5062;received=198.51.100.7');
    assert.equal(via.rport, 5062);
    assert.equal(via.received, '198.51.100.7');
    assert.equal(before.toString(), 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport');
    const after = via.clone();
    after.params.delete('received');
    assert.equal(via.received, '198.51.100.7', 'a clone of a read map has its own map');

    const read = Via.parse('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport');
    assert.equal(read.branch, 'z9hG4bK1');
    const copy = read.clone();
    read.params.set('branch', 'z9hG4bK2');
    assert.equal(read.branch, 'z9hG4bK2', 'a value read from the text is not given once the map changed it');
    assert.equal(copy.branch, 'z9hG4bK1');
    assert.equal(copy.rport, null);
    assert.equal(copy.branch, 'z9hG4bK1');

    const to = NameAddr.parse('<sip:bob@biloxi.example.com>');
    assert.equal(to.tag, undefined);
    to.params.set('tag', 'a6c85cf');
    assert.equal(to.tag, 'a6c85cf');
    assert.equal(to.toString(), '<sip:bob@biloxi.example.com>;tag=a6c85cf');
    to.params = new Map([['tag', 'b']]);
    assert.equal(to.tag, 'b');
  });

  it('print received LWS, upper-case names and repeated names normalised, as before', () => {
    assert.equal(Via.parse('SIP/2.0/UDP h ; Branch = z9hG4bK2 ;rport').toString(), 'SIP/2.0/UDP h;branch=z9hG4bK2;rport');
    assert.equal(NameAddr.parse('<sip:a@b>;tag=1;tag=2').toString(), '<sip:a@b>;tag=2');
    assert.equal(NameAddr.parse('<sip:a@b>;tag=1;tag=2').tag, '2');
  });
});

describe('NameAddr.parseWithUri', () => {
  it('gives what parse gives, URI, parameters, display name and errors, over mutated Route and Contact values', () => {
    const random = prng(5626);
    const seeds = [
      '<sip:p1.example.com;lr>',
      '<sip:127.0.0.1:5060;lr;rrt=AAAAAAAAAAA>',
      '"Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
      'sip:bob@biloxi.example.com;expires=60',
      'Bob <sips:bob@[2001:db8::1]:5061;transport=tls?subject=x>;q=0.5',
      '*',
    ];
    const outcome = (parse: (t: string) => NameAddr, text: string): string => {
      try {
        const addr = parse(text);
        return JSON.stringify([addr.toString(), addr.uri.toString(), addr.uri.host, addr.uri.param('lr'), addr.tag, addr.displayName, addr.wildcard]);
      } catch (err) {
        return `error: ${(err as Error).message}`;
      }
    };
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const text = i < seeds.length ? seeds[i]! : mutateText(seeds[i % seeds.length]!, random, NOISE, 0);
      const expected = outcome(NameAddr.parse, text);
      assert.equal(outcome(NameAddr.parseWithUri, text), expected, text);
      if (!expected.startsWith('error')) parsed++;
    }
    assert.ok(parsed > 500, `the valid cases were exercised: ${parsed}`);
  });
});
