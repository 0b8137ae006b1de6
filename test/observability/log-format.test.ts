import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, type LogFormat } from '../../server/node/create-logger.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';

function logOnce(format: LogFormat, isTTY: boolean): string {
  const chunks: string[] = [];
  const logger = createLogger('info', format, { write: (text: string) => chunks.push(text), isTTY });
  logger.info({ callId: 'abc' }, 'call sip:alice@example.com -> sip:bob@example.com: 200');
  return chunks.join('');
}

test('--log-format auto: pretty lines on a terminal, JSON with ISO times otherwise', () => {
  const json = JSON.parse(logOnce('auto', false)) as Record<string, unknown>;
  assert.equal(json.msg, 'call sip:alice@example.com -> sip:bob@example.com: 200');
  assert.equal(json.callId, 'abc');
  assert.match(String(json.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const coloured = logOnce('auto', true);
  const escape = String.fromCharCode(27);
  assert.ok(coloured.includes(`${escape}[32mINFO`), 'coloured on a terminal');
  const pretty = coloured.replace(new RegExp(`${escape}\\[\\d+m`, 'g'), '');
  assert.throws(() => JSON.parse(pretty));
  assert.match(pretty, /\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] .*INFO.*call sip:alice@example\.com -> sip:bob@example\.com: 200/);
  assert.match(pretty, /callId: "abc"/);
});

test('--log-format pretty and json force either', () => {
  assert.doesNotThrow(() => JSON.parse(logOnce('json', true)));
  const pretty = logOnce('pretty', false);
  assert.match(pretty, /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO \(sleet\): call /, 'no colours off a terminal');
  assert.equal(resolveNodeConfig({ flags: { logFormat: 'pretty' }, env: {} }).logFormat, 'pretty');
  assert.equal(resolveNodeConfig({ flags: {}, env: { SLEET_LOG_FORMAT: 'json' } }).logFormat, 'json');
  assert.throws(() => resolveNodeConfig({ flags: { logFormat: 'xml' }, env: {} }), /--log-format/);
});
