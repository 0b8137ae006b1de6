import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeUnderTest } from '../../bench/sip-load/node-under-test.js';

/** Packages a demo node on embedded defaults never runs: the SDK's compiler (its bundles are built), bull and ioredis (it has no Redis). */
const UNUSED = /\/node_modules\/(typescript|ts-morph|@ts-morph\/[^/]+|bull|ioredis)\//;

test(
  'a node loads no code it does not run, whose heap every full collection would mark: the compiler when its bundles are built, bull and ioredis without Redis',
  { timeout: 120_000 },
  async () => {
    const node = await NodeUnderTest.start({ trusted: false });
    try {
      const scripts = await node.loadedScripts();
      assert.ok(
        scripts.some((url) => url.endsWith('/dist/resource-adaptors/sip/message/parse-message.js')),
        "the probe lists the node's own modules",
      );
      assert.deepEqual(
        scripts.filter((url) => UNUSED.test(url)),
        [],
      );
    } finally {
      await node.stop();
    }
  },
);
