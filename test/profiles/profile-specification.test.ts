import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { Attr, ProfileQuery, ProfileSpec, scanProfileSpecification } from '../../profiles/index.js';
import { readCsv } from '../../profiles/provisioning/csv-reader.js';
import { SubscriberProfile, SubscriberProfileV2 } from './subscriber-specs.js';

test('the scanner reads attribute types, flags, address attribute and queries from decorators', () => {
  const spec = scanProfileSpecification(SubscriberProfile);
  assert.equal(spec.id, 'sleet-test:Subscriber:1.0');
  assert.equal(spec.writable, true);
  assert.equal(spec.addressAttribute, 'address');
  const attr = (name: string) => spec.attributes.find((a) => a.name === name)!;
  assert.deepEqual([attr('address').kind, attr('address').unique, attr('address').indexed], ['string', true, true]);
  assert.deepEqual([attr('balance').kind, attr('since').kind, attr('active').kind, attr('age').kind], ['bigint', 'date', 'boolean', 'number']);
  assert.deepEqual([attr('aliases').kind, attr('aliases').array], ['string', true]);
  assert.deepEqual(attr('action').values, ['reject', 'redirect']);
  assert.equal(attr('pin').required, true);
  assert.deepEqual(Object.keys(spec.queries).sort(), ['activeRedirects', 'ageBetween', 'byPrefix']);
  assert.equal(scanProfileSpecification(SubscriberProfileV2).attributes.length, spec.attributes.length + 1);
});

test('the scanner rejects ambiguous or unindexable attributes and bad queries', () => {
  const expectInvalid = (cls: Function, pattern: RegExp) =>
    assert.throws(
      () => scanProfileSpecification(cls),
      (err) => SleetError.is(err, ErrorCode.PROFILE_SPEC_INVALID) && pattern.test(err.message),
    );
  @ProfileSpec({ name: 'A', vendor: 't', version: '1' })
  class Untyped {
    @Attr() list!: string[];
  }
  expectInvalid(Untyped, /'list' needs an explicit type/);
  @ProfileSpec({ name: 'B', vendor: 't', version: '1' })
  class IndexedJson {
    @Attr({ type: 'json', indexed: true }) data!: object;
  }
  expectInvalid(IndexedJson, /'data' is JSON and cannot be indexed/);
  @ProfileSpec({ name: 'C', vendor: 't', version: '1' })
  @ProfileQuery('bad', (q) => q.or(q.longestPrefixMatch('p', 'x'), q.equals('p', 'y')))
  class BadQuery {
    @Attr() p!: string;
  }
  expectInvalid(BadQuery, /query 'bad'/);
  @ProfileSpec({ name: 'D', vendor: 't', version: '1' })
  class BadDefault {
    @Attr({ type: 'enum', values: ['a'], default: 'b' }) e!: string;
  }
  expectInvalid(BadDefault, /default of 'e'/);
});

test('the CSV reader tracks quoting and the line each record starts on', () => {
  const records = [...readCsv('a,b,c\r\n"x, ""y""",,""\n\n"multi\nline",2,3\n')];
  assert.deepEqual(records, [
    { line: 1, cells: ['a', 'b', 'c'] },
    { line: 2, cells: ['x, "y"', null, ''] },
    { line: 4, cells: ['multi\nline', '2', '3'] },
  ]);
  assert.throws(() => [...readCsv('a\n"open\n')], /unterminated/);
});
