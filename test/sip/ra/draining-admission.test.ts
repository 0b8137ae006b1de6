import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drainingAdmission } from '../../../resource-adaptors/sip/ra/draining-admission.js';
import type { SipRequest } from '../../../resource-adaptors/sip/message/index.js';

const request = (method: string) => ({ method }) as SipRequest;

test('a draining node refuses new INVITEs only, and what overload control refuses stays refused', () => {
  let draining = false;
  let overloaded = false;
  const admission = drainingAdmission(() => draining, { admit: () => !overloaded, retryAfterSeconds: () => 7, rejectPercent: () => (overloaded ? 40 : 0) });
  assert.ok(admission.admit(request('INVITE')), 'open: INVITE admitted');
  draining = true;
  assert.equal(admission.admit(request('INVITE')), false, 'draining: INVITE refused, so the dispatcher fails it over');
  for (const method of ['OPTIONS', 'REGISTER', 'MESSAGE']) assert.ok(admission.admit(request(method)), `draining: ${method} admitted`);
  assert.equal(admission.rejectPercent(), 100);
  draining = false;
  overloaded = true;
  assert.equal(admission.admit(request('REGISTER')), false, 'overload control still sheds');
  assert.equal(admission.retryAfterSeconds(), 7);
  assert.equal(drainingAdmission(() => false, undefined).admit(request('INVITE')), true, 'no overload control: admitted');
});
