import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRouteSecret } from '../../../resource-adaptors/sip/ra/route-secret-file.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';

test('the route secret file is created 0600 in a 0700 directory with a 32-byte key, then read back unchanged', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'sleet-rs-')), 'data');
  const path = join(dir, 'route-secret');
  const first = await loadRouteSecret(path);
  assert.equal(first.length, 32);
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  assert.deepEqual(await loadRouteSecret(path), first);
  assert.equal((await readFile(path, 'utf8')).trim(), first.toString('base64url'));
});

test('a shared key put in the file by the operator is used as it is; a short or garbled one is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-rs-'));
  const path = join(dir, 'route-secret');
  const shared = Buffer.alloc(48, 5);
  await writeFile(path, `${shared.toString('base64url')}\n`, { mode: 0o600 });
  assert.deepEqual(await loadRouteSecret(path), shared);
  for (const bad of [Buffer.alloc(16, 1).toString('base64url'), 'not base64url!', '']) {
    await writeFile(path, bad);
    await assert.rejects(loadRouteSecret(path), (err) => SleetError.is(err, ErrorCode.CONFIG_INVALID));
  }
  await assert.rejects(loadRouteSecret(join(path, 'under-a-file')), (err) => SleetError.is(err, ErrorCode.CONFIG_INVALID));
});
