import 'reflect-metadata';
import { AddressAttr, Attr, Indexed, ProfileQuery, ProfileSpec, Unique, param } from '../../profiles/index.js';

/** A writable spec exercising every attribute type, the address attribute and static queries. */
@ProfileSpec({ name: 'Subscriber', vendor: 'sleet-test', version: '1.0', writable: true })
@ProfileQuery('byPrefix', (q) => q.longestPrefixMatch('prefix', param('number')))
@ProfileQuery('ageBetween', (q) => q.range('age', param('min'), param('max')))
@ProfileQuery('activeRedirects', (q) => q.and(q.equals('active', true), q.equals('action', 'redirect')))
export class SubscriberProfile {
  @AddressAttr() @Unique() address!: string;
  @Attr() displayName?: string;
  @Attr({ type: 'string', array: true }) aliases!: string[];
  @Indexed() prefix!: string;
  @Attr({ type: 'enum', values: ['reject', 'redirect'], default: 'reject' }) action!: 'reject' | 'redirect';
  @Attr({ type: 'json' }) settings!: Record<string, unknown>;
  @Attr({ indexed: true }) age!: number;
  @Attr() active!: boolean;
  @Indexed() balance!: bigint;
  @Indexed() since!: Date;
  @Attr({ type: 'date', array: true }) logins!: Date[];
  @Attr({ type: 'bigint', array: true }) counters!: bigint[];
  @Attr({ required: true }) pin!: string;
}

/** Version 2 of the same spec: one new indexed attribute with a default. */
@ProfileSpec({ name: 'Subscriber', vendor: 'sleet-test', version: '2.0', writable: true })
export class SubscriberProfileV2 extends SubscriberProfile {
  @Attr({ indexed: true, default: 'en' }) language!: string;
}

/** Provisioned only: SBBs may read but not write. */
@ProfileSpec({ name: 'BlockList', vendor: 'sleet-test', version: '1.0', addressAttribute: 'number' })
export class BlockListProfile {
  @Attr() number!: string;
  @Attr() reason?: string;
}
