import { readFile } from 'node:fs/promises';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';

/** The management API's certificate and key, or a configuration error naming the file that cannot be read. */
export async function readManagementTls(certFile: string, keyFile: string): Promise<{ cert: Buffer; key: Buffer }> {
  const read = async (file: string, flag: string) => {
    try {
      return await readFile(file);
    } catch (err) {
      throw new SleetError(ErrorCode.CONFIG_INVALID, `invalid configuration:\n  ${flag}: cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  return { cert: await read(certFile, '--management-tls-cert'), key: await read(keyFile, '--management-tls-key') };
}
