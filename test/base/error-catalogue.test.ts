import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, httpStatusOf, isSleetErrorCode, type SleetErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { errorReply } from '../../server/management/rest/error-reply.js';
import { CsvSyntaxError, readCsv } from '../../profiles/provisioning/csv-reader.js';

test('every catalogue code is a distinct SLEET_ERR_* string with an HTTP status', () => {
  const codes = Object.values(ErrorCode);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) {
    assert.match(code, /^SLEET_ERR_[A-Z0-9_]+$/);
    assert.ok(isSleetErrorCode(code));
    assert.ok([400, 401, 404, 409, 500, 503].includes(httpStatusOf(code)), `${code}: ${httpStatusOf(code)}`);
  }
  assert.equal(isSleetErrorCode('SLEET_ERR_NO_SUCH_CODE'), false);
});

test('the REST error reply answers with the status kept beside the code', () => {
  const cases: Array<[SleetErrorCode, number]> = [
    [ErrorCode.MANAGEMENT_INVALID_INPUT, 400],
    [ErrorCode.MANAGEMENT_UNAUTHORIZED, 401],
    [ErrorCode.PROFILE_NOT_FOUND, 404],
    [ErrorCode.BUNDLE_IN_USE, 409],
    [ErrorCode.MANAGEMENT_UNAVAILABLE, 503],
    [ErrorCode.HANDLER_TIMEOUT, 500],
  ];
  for (const [code, status] of cases) {
    const reply = errorReply(new SleetError(code, 'x'));
    assert.deepEqual(reply, { status, body: { code, message: 'x' } });
  }
});

test('a mistyped code does not compile', () => {
  // @ts-expect-error: not a code of the catalogue (the build fails if this line compiles).
  const error = new SleetError('SLEET_ERR_PROFILE_NOT_FOUNDD', 'typo');
  assert.equal(SleetError.is(error), true);
});

test('malformed CSV is a SleetError with the import code and the line', () => {
  assert.throws(
    () => [...readCsv('a,b\n"open,c\n')],
    (err: unknown) => err instanceof CsvSyntaxError && SleetError.is(err, ErrorCode.PROFILE_IMPORT) && err.line === 2,
  );
});
