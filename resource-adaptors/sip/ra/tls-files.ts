import { readFileSync } from 'node:fs';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { TlsSettings } from '../transport/index.js';
import type { SipRaConfig } from './sip-ra-config.js';

/** The TLS certificate, key and CAs named by the RA configuration, read from their PEM files. */
export function readTlsFiles(config: Pick<SipRaConfig, 'tlsCert' | 'tlsKey' | 'tlsCa'>): TlsSettings {
  const read = (setting: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new SleetError(ErrorCode.INVALID_COMPONENT, `SIP resource adaptor: cannot read ${setting} ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  const settings: TlsSettings = { cert: read('tlsCert', config.tlsCert), key: read('tlsKey', config.tlsKey) };
  if (config.tlsCa !== '') settings.ca = read('tlsCa', config.tlsCa);
  return settings;
}
