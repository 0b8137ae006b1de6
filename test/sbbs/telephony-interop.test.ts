import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { ProfileFacility } from '../../profiles/facility/profile-facility.js';
import { LocationService } from '../../sbbs/location/location-service.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { SUBSCRIBERS_TABLE } from '../../sbbs/subscribers/subscriber-profile.js';
import { configureDigestAuth } from '../../sbbs/digest-auth/digest-auth-settings.js';
import { UdpSipClient } from './udp-sip-client.js';
import { DOMAIN, USERS, openSubscriberStore, startTelephonySlee } from './telephony-fixture.js';
import { toolSkipReason } from '../helpers/tool-skip-reason.js';

function sipsakSkipReason(): string | undefined {
  const available = spawnSync('sipsak', ['--version'], { stdio: 'ignore' }).error === undefined;
  return toolSkipReason(available, 'sipsak is not installed (apt-get install -y sipsak)');
}

function sipsak(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sipsak', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** SIPp 3.6 and sipsak 0.9 answer only MD5 challenges (and take the first offered), so these tests offer MD5 alone. */
function md5Only(t: { after(fn: () => unknown): void }): void {
  configureDigestAuth({ algorithms: ['MD5'] });
  t.after(() => configureDigestAuth({}));
}

const lookup = (store: Awaited<ReturnType<typeof openSubscriberStore>>, user: string) =>
  new LocationService(new ProfileFacility(store, () => undefined)).lookup(`sip:${user}@${DOMAIN}`);

test('sipsak registers a user through the digest challenge; a wrong password fails', { skip: sipsakSkipReason() }, async (t) => {
  md5Only(t);
  const store = await openSubscriberStore(t);
  // sipsak resolves the domain of -s itself, so this test serves 'localhost' too, with a subscriber there.
  await store.createProfile(SUBSCRIBERS_TABLE, 'sam', { address: 'sip:sam@localhost', username: 'sam', password: 'sam-secret' });
  const { port } = await startTelephonySlee(t, store, `${DOMAIN},localhost`);
  const base = ['-U', '-s', 'sip:sam@localhost', '-u', 'sam', '-p', '127.0.0.1', '-r', String(port), '-H', '127.0.0.1', '-x', '600', '-vv'];
  const wrong = await sipsak([...base, '-C', 'sip:sam@127.0.0.1:5091', '-a', 'not-the-password']);
  assert.notEqual(wrong.code, 0, wrong.output);
  const sam = () => new LocationService(new ProfileFacility(store, () => undefined)).lookup('sip:sam@localhost');
  assert.deepEqual(await sam(), []);
  const ok = await sipsak([...base, '-C', 'sip:sam@127.0.0.1:5090', '-a', 'sam-secret']);
  assert.equal(ok.code, 0, ok.output);
  assert.deepEqual(
    (await sam()).map((b) => b.contact),
    ['sip:sam@127.0.0.1:5090'],
  );
});

test('SIPp REGISTER with auth="true": 401, then 200 listing the binding', { skip: sippSkipReason() }, async (t) => {
  md5Only(t);
  const store = await openSubscriberStore(t);
  const { port } = await startTelephonySlee(t, store);
  const sippPort = await freePort();
  const run = await runSipp({ scenario: { file: 'reg-register-auth.xml' }, port: sippPort, remote: `127.0.0.1:${port}`, calls: 1, keys: { domain: DOMAIN } });
  assert.equal(run.exitCode, 0, run.errors);
  assert.equal(run.successful, 1);
  const [binding] = await lookup(store, 'alice');
  assert.equal(binding?.contact, `sip:alice@127.0.0.1:${sippPort}`);
  assert.equal(binding?.q, 0.7);
});

test('a call from alice to bob through the proxy: 407, INVITE/200/ACK/BYE with the BYE record-routed through Sleet', { skip: sippSkipReason() }, async (t) => {
  md5Only(t);
  const store = await openSubscriberStore(t);
  const { slee, port } = await startTelephonySlee(t, store);
  const bobPort = await freePort();
  const bob = await UdpSipClient.open(port);
  t.after(() => bob.close());
  const registered = await bob.register({ user: 'bob', domain: DOMAIN, password: USERS.bob, algorithm: 'MD5', contacts: [`<sip:bob@127.0.0.1:${bobPort}>`] });
  assert.equal(registered.status, 200);
  const callee = runSipp({ scenario: { file: 'uas-rr.xml' }, port: bobPort, calls: 1 });
  await new Promise((r) => setTimeout(r, 300));
  const caller = await runSipp({
    scenario: { file: 'reg-uac-auth.xml' },
    port: await freePort(),
    remote: `127.0.0.1:${port}`,
    calls: 1,
    service: 'bob',
    keys: { domain: DOMAIN },
  });
  const answered = await callee;
  await slee.idle();
  assert.equal(caller.exitCode, 0, caller.errors);
  assert.equal(caller.successful, 1);
  assert.equal(answered.exitCode, 0, `bob's UAS got INVITE, ACK and BYE: ${answered.errors}`);
});

test('proxy refusals: 404 for an unknown user, 480 for an unregistered one, 403 for a foreign domain', async (t) => {
  const store = await openSubscriberStore(t);
  const { port } = await startTelephonySlee(t, store);
  const ua = await UdpSipClient.open(port);
  t.after(() => ua.close());
  const message = (target: string, from = `sip:carol@example.org`) =>
    ua.send(
      [
        `MESSAGE ${target} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${ua.port};branch=z9hG4bK${Math.random().toString(16).slice(2)}`,
        `From: <${from}>;tag=1`,
        `To: <${target}>`,
        `Call-ID: ${Math.random().toString(16).slice(2)}`,
        'CSeq: 1 MESSAGE',
        'Max-Forwards: 70',
        'Content-Type: text/plain',
        'Content-Length: 2',
        '',
        'hi',
      ].join('\r\n'),
    );
  assert.equal((await message(`sip:zoe@${DOMAIN}`)).status, 404);
  assert.equal((await message(`sip:carol@${DOMAIN}`)).status, 480);
  const relay = await message('sip:someone@elsewhere.example');
  assert.equal(relay.status, 403);
  assert.match(relay.reason, /Relaying denied/);
  assert.equal((await message(`sip:bob@${DOMAIN}`, `sip:alice@${DOMAIN}`)).status, 407, 'a local user sending without credentials is challenged');
});
