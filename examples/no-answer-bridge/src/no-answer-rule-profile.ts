import { AddressAttr, Attr, ProfileSpec, Unique } from 'sleet/profiles';

/** The profile table the no-answer bridge reads its rules from. */
export const NO_ANSWER_TABLE = 'no-answer';

/** One subscriber's rule: calls ring its first registered contact for `seconds`, then go to `target`. */
@ProfileSpec({ name: 'NoAnswerRule', vendor: 'sleet', version: '1.0' })
export class NoAnswerRuleProfile {
  /** The subscriber's address of record (`sip:bob@example.com`). */
  @AddressAttr() @Unique() address!: string;
  @Attr() target!: string;
  @Attr({ default: 20 }) seconds!: number;
}
