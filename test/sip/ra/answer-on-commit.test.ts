import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../../slee/component-model/sbb.decorator.js';
import { Service } from '../../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../../slee/component-model/initial-event.decorator.js';
import type { SipRequestEvent } from '../../../resource-adaptors/sip/ra/sip-events.js';
import { freePort } from '../interop/sipp-runner.js';
import { startSipSlee } from './sip-ra-fixture.js';
import { exchange, request } from './udp-exchange.js';

/** What the handler had done by the time the caller read its answer. */
const progress = { finished: false };

/**
 * Answers first, then goes on: a MESSAGE whose body says `fail` then throws,
 * any other waits a while before it returns.
 */
@Service({ name: 'AnswersFirst' })
@Sbb()
class AnswersFirstSbb {
  @InitialEvent()
  async onMessage({ request: message, transaction }: SipRequestEvent): Promise<void> {
    transaction.respond(200);
    if (message.get('Subject') === 'fail') throw new Error('failed after answering');
    await new Promise((resolve) => setTimeout(resolve, 200));
    progress.finished = true;
  }
}

test('a final response to a non-INVITE request leaves when the handler has committed, not before', async (t) => {
  const port = await freePort();
  await startSipSlee(t, { port, transports: 'udp' }, AnswersFirstSbb);
  progress.finished = false;
  const answer = await exchange(port, request('MESSAGE', 'sip:nobody@127.0.0.1'));
  assert.match(answer, /^SIP\/2\.0 200 /);
  assert.equal(progress.finished, true, 'the 200 arrived while the handler was still running, before its work committed');
});

test('a handler that answers and then fails rolls back its answer too: the caller gets 500, and an alarm is raised', async (t) => {
  const port = await freePort();
  const { slee } = await startSipSlee(t, { port, transports: 'udp' }, AnswersFirstSbb);
  const answer = await exchange(port, request('MESSAGE', 'sip:nobody@127.0.0.1', 'Subject: fail\n'));
  assert.match(answer, /^SIP\/2\.0 500 /, 'the 200 of a rolled-back transaction went out');
  assert.equal(slee.kernel.alarms.list().length, 1);
  assert.match(await exchange(port, request('MESSAGE', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 200 /, 'and the service goes on answering');
});
