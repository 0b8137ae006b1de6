/** Dialog identifier (RFC 3261 §12): Call-ID plus local and remote tags, as seen from this side. */
export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}
