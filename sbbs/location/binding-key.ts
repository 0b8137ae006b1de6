/**
 * What identifies a binding within its AOR: its contact (RFC 3261), or for
 * an outbound registration its instance and reg-id (RFC 5626 §6), so that
 * a client registering again over a new flow replaces the old one.
 */
export function bindingKey(b: { contact: string; instance?: string; regId?: number }): string {
  // A space cannot occur in a contact URI: the two kinds of key never meet.
  return b.instance !== undefined && b.regId !== undefined ? `${b.instance} reg-id=${b.regId}` : b.contact;
}
