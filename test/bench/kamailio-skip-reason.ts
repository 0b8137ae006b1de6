import type { TestContext } from 'node:test';
import { kamailioAvailable, KAMAILIO_MISSING } from '../../bench/sip-load/kamailio-process.js';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';
import { toolSkipReason } from '../helpers/tool-skip-reason.js';

/** Why a test that runs Kamailio and SIPp is skipped, or undefined to run it; under CI a missing one is a failure. */
export function kamailioSkipReason(): string | undefined {
  return sippSkipReason() ?? toolSkipReason(kamailioAvailable(), KAMAILIO_MISSING);
}

/** The same for a test that decides inside itself: true to run it, else it is skipped with the reason. */
export function kamailioAndSippAvailable(t: TestContext): boolean {
  const reason = kamailioSkipReason();
  if (reason === undefined) return true;
  t.skip(reason);
  return false;
}
