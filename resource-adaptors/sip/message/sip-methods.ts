/** The methods of RFC 3261 and of the extensions the stack knows, in one list for validation and for the counters' labels. */
export const SIP_METHODS = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
] as const;

const CANONICAL: ReadonlyMap<string, string> = new Map(SIP_METHODS.map((method) => [method, method]));

/**
 * A known method as this module's constant, anything else as it is. A
 * received method is a fresh copy of its few bytes, and whatever keeps it
 * (a transaction waiting out Timer J) keeps that copy; the constant is one
 * string for all of them.
 */
export function sipMethod(text: string): string {
  return CANONICAL.get(text) ?? text;
}
