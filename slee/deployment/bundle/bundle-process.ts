import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { FREE_PROCESS_MEMBERS, processMemberReason } from './bundle-require-policy.js';

/**
 * The `process` a bundle sees when its descriptor does not declare
 * `process`: the free members, and a named refusal for any other
 * (`exit`, `env`, `kill`, `binding`, ...), so a mistake fails loudly.
 */
export function restrictedProcess(file: () => string): object {
  return new Proxy(Object.create(null) as object, {
    get(_target, key) {
      if (typeof key === 'symbol') return undefined;
      if (FREE_PROCESS_MEMBERS.has(key)) {
        const value = (process as unknown as Record<string, unknown>)[key];
        return typeof value === 'function' ? value.bind(process) : value;
      }
      throw new SleetError(ErrorCode.BUNDLE_PERMISSION, processMemberReason(file(), key));
    },
    set(_target, key) {
      throw new SleetError(ErrorCode.BUNDLE_PERMISSION, processMemberReason(file(), String(key)));
    },
    has(_target, key) {
      return typeof key === 'string' && FREE_PROCESS_MEMBERS.has(key);
    },
  });
}
