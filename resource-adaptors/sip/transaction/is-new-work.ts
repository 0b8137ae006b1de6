/**
 * Work that overload control may refuse: a new out-of-dialog request (no
 * To tag), never one that ends or cancels a call. ACKs are told apart
 * before anyone asks.
 */
export function isNewWork(method: string, toTag: string | undefined): boolean {
  return toTag === undefined && method !== 'CANCEL' && method !== 'BYE';
}
