import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { failureKinds, finalCounts, lastColumn, responseTimeline, responseTimes } from '../../bench/sip-load/sipp-statistics.js';

/** Files written by SIPp 3.6 (Debian sip-tester): 5 calls of the built-in uac scenario. */
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/sipp/', import.meta.url));
const statCsv = readFileSync(`${FIXTURES}uac-stat.csv`, 'utf8');
const rttCsv = readFileSync(`${FIXTURES}uac-rtt.csv`, 'utf8');
/** One uac-call.xml call to a socket that never answers, with -max_invite_retrans 1. */
const maxRetransCsv = readFileSync(`${FIXTURES}uac-stat-max-retrans.csv`, 'utf8');

describe('SIPp statistics', () => {
  it('reads the cumulative call counters from the last -trace_stat line', () => {
    assert.deepEqual(finalCounts(statCsv), { successful: 5, failed: 0 });
    assert.equal(lastColumn(statCsv, 'TotalCallCreated'), 5);
  });

  it('refuses a column SIPp did not write rather than reporting NaN', () => {
    assert.throws(() => lastColumn(statCsv, 'NoSuchColumn(C)'), /no column 'NoSuchColumn\(C\)'/);
  });

  it('reads response times from the response_time_ms column, not the rtd number', () => {
    assert.deepEqual(responseTimes(rttCsv), [0, 0, 0, 0, 0]);
    const withSeconds = 'Date_ms;date_sec;response_time_ms;rtd_no\n10.5;0.01;17;1\n20.5;0.02;3;1\n';
    assert.deepEqual(responseTimes(withSeconds), [17, 3]);
    assert.deepEqual(responseTimeline(withSeconds), [
      { atMs: 10.5, ms: 17 },
      { atMs: 20.5, ms: 3 },
    ]);
  });

  it('refuses a trace without a response-time column', () => {
    assert.throws(() => responseTimes('Date_ms;rtd_no\n1;1\n'), /no response_time_ms column/);
  });

  it('names how calls failed and what SIPp retransmitted, from the cumulative counters that are not zero', () => {
    assert.deepEqual(failureKinds(maxRetransCsv), { MaxUDPRetrans: 1, Retransmissions: 1 });
    assert.deepEqual(failureKinds(statCsv), {});
  });
});
