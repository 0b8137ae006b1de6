import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { runSleetCli } from '../helpers/sleet-cli.js';

function get(url: string, ca: Buffer, token?: string): Promise<{ status: number; body: string; tls: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      const tls = 'encrypted' in res.socket;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, tls }));
    });
    req.on('error', reject);
    req.end();
  });
}

test(
  '--management-tls-cert/--management-tls-key: REST, /metrics and the CLI over HTTPS with an openssl-made certificate',
  { skip: makeTestCertificate() === undefined && process.env.CI !== 'true' ? 'openssl is not installed' : undefined },
  async (t) => {
    const cert = makeTestCertificate();
    assert.ok(cert, 'openssl made a certificate');
    const config = resolveNodeConfig({
      flags: {
        dataDir: await mkdtemp(join(tmpdir(), 'sleet-mgmt-tls-')),
        sipPort: await freePort(),
        httpPort: 0,
        managementPort: 0,
        managementTlsCert: cert.certFile,
        managementTlsKey: cert.keyFile,
      },
      env: {},
    });
    const node = await SleetNode.start({ config, logger: silentLogger() });
    t.after(() => node.stop());
    assert.match(node.managementUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const slee = await get(`${node.managementUrl}/slee`, cert.cert, node.token);
    assert.equal(slee.status, 200);
    assert.ok(slee.tls);
    assert.equal(JSON.parse(slee.body).state, 'RUNNING');
    assert.equal((await get(`${node.managementUrl}/slee`, cert.cert)).status, 401, 'the token is still needed');
    assert.match((await get(`${node.managementUrl}/metrics`, cert.cert)).body, /^# HELP sleet_/m);
    const plain = await fetch(node.managementUrl.replace('https:', 'http:') + '/slee').then(
      () => 'answered',
      () => 'refused',
    );
    assert.equal(plain, 'refused', 'no plain HTTP on the port');
    const cli = await runSleetCli(['slee', 'state', '--json'], { SLEET_URL: node.managementUrl, SLEET_TOKEN: node.token, NODE_EXTRA_CA_CERTS: cert.certFile });
    assert.equal(cli.code, 0, cli.stderr);
  },
);

test('management TLS needs both files, and names one that cannot be read', async () => {
  assert.throws(() => resolveNodeConfig({ flags: { managementTlsCert: '/x.pem' }, env: {} }), /--management-tls-key/);
  const config = resolveNodeConfig({
    flags: {
      dataDir: await mkdtemp(join(tmpdir(), 'sleet-mgmt-tls-bad-')),
      sipPort: await freePort(),
      httpPort: 0,
      managementPort: 0,
      managementTlsCert: '/nonexistent/cert.pem',
      managementTlsKey: '/nonexistent/key.pem',
    },
    env: {},
  });
  await assert.rejects(
    SleetNode.start({ config, logger: silentLogger() }),
    (err: Error & { code?: string }) =>
      err.code === 'SLEET_ERR_CONFIG_INVALID' && /--management-tls-cert: cannot read \/nonexistent\/cert\.pem/.test(err.message),
  );
});
