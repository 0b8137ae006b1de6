import { strict as assert } from 'node:assert';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { defaultEntities } from '../../server/node/resources/default-resources.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { SleetNode } from '../../server/node/sleet-node.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { sendSipRequest } from '../cluster/sip-options.js';

describe('sleet start: session timers (RFC 4028)', () => {
  it('are off by default and turned on by --sip-session-expires, or SLEET_SIP_SESSION_EXPIRES, with --sip-min-se', () => {
    const off = defaultEntities(resolveNodeConfig({ env: {} })).find((e) => e.name === 'sip')!;
    assert.equal(off.config.sessionExpires, undefined);
    const fromFlags = resolveNodeConfig({ flags: { sipSessionExpires: '1800', sipMinSe: '120' }, env: {} });
    const sip = defaultEntities(fromFlags).find((e) => e.name === 'sip')!;
    assert.equal(sip.config.sessionExpires, 1800);
    assert.equal(sip.config.sessionMinSE, 120);
    const fromEnv = resolveNodeConfig({ env: { SLEET_SIP_SESSION_EXPIRES: '900' } });
    assert.equal(defaultEntities(fromEnv).find((e) => e.name === 'sip')!.config.sessionMinSE, 90);
  });

  it('refuses an interval or a Min-SE below RFC 4028’s 90 s, naming the flag', () => {
    for (const [flags, flag] of [
      [{ sipSessionExpires: '30' }, '--sip-session-expires'],
      [{ sipSessionExpires: '1800', sipMinSe: '10' }, '--sip-min-se'],
      [{ sipSessionExpires: '100', sipMinSe: '120' }, '--sip-session-expires'],
    ] as const) {
      assert.throws(
        () => resolveNodeConfig({ flags, env: {} }),
        (err: unknown) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && err.message.includes(flag),
        JSON.stringify(flags),
      );
    }
  });

  it('a node started with them answers an INVITE asking for 30 s with 422 and Min-SE', async () => {
    const sipPort = await freePort();
    const config = resolveNodeConfig({
      flags: {
        dataDir: await mkdtemp(join(tmpdir(), 'sleet-st-')),
        sipPort,
        httpPort: 0,
        managementPort: 0,
        trusted: ['127.0.0.0/8'],
        demo: true,
        sipSessionExpires: 1800,
      },
      env: {},
    });
    const node = await SleetNode.start({ config, logger: silentLogger() });
    try {
      const answer = await sendSipRequest(sipPort, 'INVITE', 'sip:bob@127.0.0.1', {
        From: '<sip:alice@127.0.0.1>',
        To: '<sip:bob@127.0.0.1>',
        Supported: 'timer',
        'Session-Expires': '30',
      });
      assert.equal(answer.status, 422);
      assert.equal(answer.headers.get('min-se'), '90');
    } finally {
      await node.stop();
    }
  });
});
