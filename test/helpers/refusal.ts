import assert from 'node:assert/strict';
import { SleetError } from '../../base/errors/sleet-error.js';

/** The SleetError a promise is refused with; fails the test when it resolves or rejects with anything else. */
export async function refusal(promise: Promise<unknown>): Promise<SleetError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(SleetError.is(err), `expected a SleetError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}
