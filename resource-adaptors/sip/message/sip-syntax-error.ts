import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';

/** The SleetError(SIP_PARSE) every header/URI parser throws; `what` names the element for the reason phrase. */
export function sipSyntaxError(what: string, text: string): SleetError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return new SleetError(ErrorCode.SIP_PARSE, `malformed ${what}: ${JSON.stringify(shown)}`, { details: { what } });
}
