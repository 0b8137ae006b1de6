import { kamailioAvailable, KAMAILIO_MISSING } from '../../bench/sip-load/kamailio-under-test.js';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';

/** Why a test that runs Kamailio and SIPp is skipped, or undefined to run it; under CI a missing one is a failure. */
export function kamailioSkipReason(): string | undefined {
  const sipp = sippSkipReason();
  if (sipp !== undefined) return sipp;
  if (kamailioAvailable()) return undefined;
  if (process.env['CI'] === 'true') throw new Error(`${KAMAILIO_MISSING} (required under CI=true)`);
  return KAMAILIO_MISSING;
}
