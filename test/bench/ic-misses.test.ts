import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../../bench/ic-misses.js';
import { megamorphicMisses } from '../../bench/sip-load/ic-log.js';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';

const DIST = 'file:///srv/sleet/dist/';

test('the IC log is read by site: megamorphic misses in the build, from the cut on, attributed through code moves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sleet-ic-log-'));
  try {
    const log = join(dir, 'v8.log');
    writeFileSync(
      log,
      [
        'v8-version,11,3,244,8,-node.38,0',
        `code-creation,JS,10,100,0x1000,0x100,*fire ${DIST}slee/a.js:1:1,0x9,*`,
        `code-creation,JS,10,100,0x2000,0x100,*other file:///elsewhere/b.js:1:1,0x9,*`,
        // Before the cut: not counted.
        'LoadIC,0x1010,500,3,4,N,N,0x7,address,,',
        // After it: two misses on one key, one on another, one that is not megamorphic.
        'LoadIC,0x1010,2000,3,4,N,N,0x7,address,,',
        'LoadIC,0x1020,2001,3,9,N,N,0x7,address,,',
        'StoreIC,0x1030,2002,5,1,1,N,0x7,entity,,',
        'LoadIC,0x1040,2003,6,1,0,1,0x7,host,,',
        // Outside the build: not counted.
        'KeyedLoadIC,0x2010,2004,1,1,N,N,0x7,x,,',
        // The code moved: its misses still count under its name.
        'code-move,0x1000,0x5000',
        'LoadIC,0x5010,2005,3,4,N,N,0x7,address,,',
        // Deleted code: a pc inside it is no site of ours.
        'code-delete,0x5000',
        'LoadIC,0x5010,2006,3,4,N,N,0x7,address,,',
        '',
      ].join('\n'),
    );
    const misses = megamorphicMisses(log, 1000, DIST);
    assert.deepEqual(Object.fromEntries(misses), {
      'fire slee/a.js:1:1 key=address': 3,
      'fire slee/a.js:1:1 key=entity': 1,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'ic-misses, tiny: a call through the demo node takes no slow-path property access in Sleet code once warm',
  { skip: sippSkipReason(), timeout: 300_000 },
  async () => {
    const result = await run({ flags: { rate: '50', 'warmup-calls': '300', calls: '100', top: '5' } });
    const [row] = result.rows;
    assert.equal(row!['calls'], 100);
    assert.equal(row!['failed'], 0);
    const sites = (result.params as { sites: { this: Array<{ site: string; perCall: number }> } }).sites.this;
    // Conditional spreads of the events' options and of the CDR row each missed once a call before; what the node does between calls is well under one.
    assert.ok((row!['slow-path accesses/call'] as number) < 1, `slow-path accesses per call: ${JSON.stringify(sites)}`);
  },
);
