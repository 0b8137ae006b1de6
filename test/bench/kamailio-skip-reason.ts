import { kamailioAvailable, KAMAILIO_MISSING } from '../../bench/sip-load/kamailio-under-test.js';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';
import { toolSkipReason } from '../helpers/tool-skip-reason.js';

/** Why a test that runs Kamailio and SIPp is skipped, or undefined to run it; under CI a missing one is a failure. */
export function kamailioSkipReason(): string | undefined {
  return sippSkipReason() ?? toolSkipReason(kamailioAvailable(), KAMAILIO_MISSING);
}
