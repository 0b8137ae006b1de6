import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../sip/interop/sipp-runner.js';
import { kamailioAndSippAvailable } from '../bench/kamailio-skip-reason.js';
import { SippProcess } from './sipp-process.js';
import { ViaUas } from './via-uas.js';

// The cluster tests count a call SIPp aborts as a failure of Sleet; a 180 that Kamailio's second worker passes on after the 200 is not one.
test('the held-call scenario the cluster tests load Kamailio with takes a 180 that arrives after the 200', async (t) => {
  if (!kamailioAndSippAvailable(t)) return;
  const uas = await ViaUas.start({ ringAfterAnswer: true });
  t.after(() => uas.close());
  const uac = SippProcess.start('uac-hold.xml', await freePort(), [
    `127.0.0.1:${uas.port}`,
    '-s',
    'bob',
    '-key',
    'domain',
    '127.0.0.1',
    '-m',
    '3',
    '-r',
    '10',
    '-d',
    '300',
    '-timeout',
    '15s',
    '-timeout_error',
  ]);
  t.after(() => uac.stop());
  const result = await uac.finished();
  assert.deepEqual({ successful: result.successful, failed: result.failed }, { successful: 3, failed: 0 }, result.errors);
  assert.equal(uas.byes.size, 3, 'every call ended with its BYE');
});
