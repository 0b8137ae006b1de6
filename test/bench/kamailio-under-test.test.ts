import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startKamailioUnderTest } from '../../bench/sip-load/kamailio-under-test.js';
import { BENCH_DOMAIN } from '../../bench/sip-load/node-under-test.js';
import { runSipp, SippServer } from '../../bench/sip-load/sipp.js';
import { kamailioSkipReason } from './kamailio-skip-reason.js';

// The reference once ran on Kamailio's default 64 MiB of shared memory: from 500 calls/s its transactions
// failed to allocate, and the bench reported the lost calls as Kamailio's without saying why.
test(
  'the Kamailio reference reports its own errors: starved of shared memory, its out-of-memory lines reach the harness',
  { skip: kamailioSkipReason(), timeout: 120_000 },
  async () => {
    const kamailio = await startKamailioUnderTest(1, 4);
    const uas = await SippServer.start('uas-call.xml');
    try {
      const target = `127.0.0.1:${kamailio.sipPort}`;
      const keys = { domain: BENCH_DOMAIN, contact_host: '127.0.0.1', contact_port: String(uas.port) };
      await runSipp({ scenario: 'register-contact.xml', target, rate: 1, calls: 1, service: 'user000001', timeoutMs: 10_000, keys });
      assert.deepEqual(kamailio.errorLines(), []);
      await runSipp({
        scenario: 'uac-call.xml',
        target,
        rate: 400,
        calls: 400,
        service: 'user000001',
        pauseMs: 0,
        keys: { domain: BENCH_DOMAIN },
        timeoutMs: 5_000,
      });
      assert.match(kamailio.errorLines().join('\n'), /out of mem|could not allocate shared memory/);
    } finally {
      await uas.stop();
      await kamailio.stop();
    }
  },
);
