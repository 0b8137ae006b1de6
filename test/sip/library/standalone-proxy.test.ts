import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SipStack, type Dialog, type RequestHandler, type SipRequest, type SipResponse, type TransportTarget } from '../../../resource-adaptors/sip/index.js';

const example = fileURLToPath(new URL('../../../resource-adaptors/sip/examples/standalone-proxy.js', import.meta.url));

/** Starts the example on a free loopback port; resolves with where it listens once it says so. */
async function startProxy(): Promise<{ child: ChildProcess; target: TransportTarget }> {
  const child = spawn(process.execPath, [example, '0', 'example.test'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    const match = /listening on udp:([\d.]+):(\d+)/.exec(out);
    if (match) return { child, target: { transport: 'UDP', host: match[1]!, port: Number(match[2]) } };
  }
  throw new Error(`the example exited before listening: ${out}`);
}

/** A user agent on the stack itself, on a free loopback port. */
async function phone(onRequest?: (stack: SipStack) => RequestHandler): Promise<SipStack> {
  const stack: SipStack = new SipStack({ listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }] });
  if (onRequest) stack.setRequestHandler(onRequest(stack));
  await stack.start();
  return stack;
}

function finalResponse(stack: SipStack, request: SipRequest, target: TransportTarget): Promise<SipResponse> {
  return new Promise((resolve) => stack.sendRequest(request, { target, onResponse: (r) => r.status >= 200 && resolve(r) }));
}

test(
  'the standalone proxy example registers bob and proxies a call from alice to him and its BYE, and refuses an unknown user',
  { timeout: 60_000 },
  async () => {
    const { child, target: proxy } = await startProxy();
    const atBob: SipRequest[] = [];
    const bob = await phone((stack) => (request, tx) => {
      atBob.push(request);
      const dialog = stack.dialogs.uasDialog(tx);
      dialog.on('bye', (bye) => atBob.push(bye));
      dialog.respond(tx, 200, { body: 'v=0\r\n', contentType: 'application/sdp' });
      return true;
    });
    const alice = await phone();
    try {
      const register = bob.createRequest('REGISTER', { to: 'sip:bob@example.test', from: 'sip:bob@example.test', requestUri: 'sip:example.test' });
      assert.equal((await finalResponse(bob, register, proxy)).status, 200);

      const invite = alice.invite(alice.createInvite({ to: 'sip:bob@example.test', from: 'sip:alice@example.test' }), { target: proxy });
      const [answer, dialog] = (await once(invite, 'success')) as [SipResponse, Dialog];
      assert.equal(answer.status, 200);
      assert.equal(atBob[0]?.method, 'INVITE');
      assert.equal(atBob[0]?.vias.length, 2, 'the INVITE reached bob through the proxy, which added its Via');
      assert.equal(answer.recordRoutes.length, 1, 'the proxy record-routed the dialog');

      const bye = await new Promise<SipResponse>((resolve) => dialog.sendRequest('BYE', { onResponse: (r) => r.status >= 200 && resolve(r) }));
      assert.equal(bye.status, 200);
      assert.equal(atBob[1]?.method, 'BYE');
      assert.equal(atBob[1]?.vias.length, 2, 'the BYE followed the Record-Route through the proxy');

      const toNobody = alice.createRequest('MESSAGE', { to: 'sip:carol@example.test', from: 'sip:alice@example.test' });
      assert.equal((await finalResponse(alice, toNobody, proxy)).status, 404);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await Promise.all([alice.close(), bob.close()]);
    }
  },
);

test("the stack's README shows the example as it is, with the command the test above runs", () => {
  const source = (path: string) => readFileSync(fileURLToPath(new URL(`../../../../${path}`, import.meta.url)), 'utf8');
  const readme = source('resource-adaptors/sip/README.md');
  assert.ok(
    readme.includes('```ts\n' + source('resource-adaptors/sip/examples/standalone-proxy.ts') + '```'),
    'README.md embeds examples/standalone-proxy.ts verbatim',
  );
  assert.ok(readme.includes('node dist/resource-adaptors/sip/examples/standalone-proxy.js 0 example.test'));
});
