import { AddressAttr, Attr, ProfileSpec, Unique } from 'sleet/profiles';
import type { DiversionReason } from './diversion-chain.js';

/** The profile table call forwarding reads its rules from. */
export const FORWARDING_TABLE = 'forwarding';

/**
 * One subscriber's forwarding rules (table `forwarding`, any profile name),
 * each a target URI; an absent target means no forwarding in that case.
 * A target in one of our domains is reached at its registered contacts.
 */
@ProfileSpec({ name: 'ForwardingRule', vendor: 'sleet', version: '1.0' })
export class ForwardingRuleProfile {
  /** The subscriber's address of record (`sip:bob@example.com`). */
  @AddressAttr() @Unique() address!: string;
  /** CFU: every call goes straight to this target. */
  @Attr() unconditional?: string;
  /** CFB: the callee answered 486 Busy Here. */
  @Attr() busy?: string;
  /** CFNR: nobody answered within `noAnswerSeconds`. */
  @Attr() noAnswer?: string;
  @Attr({ default: 20 }) noAnswerSeconds!: number;
  /** CFNRc: no registered contact, or the callee answered 408/480. */
  @Attr() unreachable?: string;
}

/** The values of a `forwarding` profile as the forwarding SBB reads them. */
export interface ForwardingRules {
  address: string;
  unconditional?: string | null;
  busy?: string | null;
  noAnswer?: string | null;
  noAnswerSeconds: number;
  unreachable?: string | null;
}

/** Where a call whose callee failed with `status` goes: CFB on 486, CFNRc on 408 and 480, nowhere otherwise. */
export function targetOnFailure(rules: ForwardingRules, status: number): [string | null | undefined, DiversionReason] {
  if (status === 486) return [rules.busy, 'user-busy'];
  return [status === 408 || status === 480 ? rules.unreachable : undefined, 'unavailable'];
}
