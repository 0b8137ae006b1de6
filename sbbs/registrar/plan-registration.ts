import type { SipRequest } from '../../resource-adaptors/sip/message/index.js';
import { NameAddr } from '../../resource-adaptors/sip/message/index.js';
import type { Binding } from '../location/binding.js';
import type { RegistrarSettings } from './registrar-settings.js';

/** One change to the AOR's bindings: `expires` 0 removes the contact. */
export interface BindingUpdate {
  contact: string;
  expires: number;
  q: number;
}

export type RegistrationPlan =
  { kind: 'update'; updates: BindingUpdate[] } | { kind: 'reject'; status: number; reason: string; headers?: Record<string, string> };

/**
 * RFC 3261 §10.3 steps 6-7 without touching storage: what a REGISTER asks
 * for against the AOR's current bindings, or why it must be refused.
 */
export function planRegistration(request: SipRequest, current: readonly Binding[], settings: RegistrarSettings): RegistrationPlan {
  const raw = request.getAll('Contact').flatMap(splitContacts);
  const headerExpires = request.expires;
  if (raw.some((c) => c === '*')) {
    if (raw.length !== 1 || headerExpires !== 0)
      return { kind: 'reject', status: 400, reason: 'Bad Request - Contact: * needs Expires: 0 and no other contact' };
    const updates = current.map((b) => ({ contact: b.contact, expires: 0, q: b.q }));
    return checkOrder(request, current, updates);
  }
  const updates: BindingUpdate[] = [];
  for (const text of raw) {
    let contact: NameAddr;
    try {
      contact = NameAddr.parse(text);
    } catch {
      return { kind: 'reject', status: 400, reason: 'Bad Request - malformed Contact' };
    }
    const param = contact.params.get('expires');
    const asked = param !== undefined && param !== null && /^\d+$/.test(param) ? Number(param) : (headerExpires ?? settings.defaultExpires);
    if (asked !== 0 && asked < settings.minExpires) {
      return { kind: 'reject', status: 423, reason: 'Interval Too Brief', headers: { 'Min-Expires': String(settings.minExpires) } };
    }
    const qText = contact.params.get('q');
    const q = qText === undefined || qText === null ? 1 : Number(qText);
    if (!Number.isFinite(q) || q < 0 || q > 1) return { kind: 'reject', status: 400, reason: 'Bad Request - q must be 0 to 1' };
    updates.push({ contact: contact.uri.toString(), expires: Math.min(asked, settings.maxExpires), q });
  }
  return checkOrder(request, current, updates);
}

/** §10.3 step 7: a binding from the same Call-ID may only be changed by a higher CSeq. */
function checkOrder(request: SipRequest, current: readonly Binding[], updates: BindingUpdate[]): RegistrationPlan {
  const callId = request.callId;
  const cseq = request.cseq.seq;
  for (const update of updates) {
    const existing = current.find((b) => b.contact === update.contact);
    if (existing !== undefined && existing.callId === callId && cseq <= existing.cseq) {
      return { kind: 'reject', status: 500, reason: 'Server Internal Error - REGISTER out of order', headers: { 'Retry-After': '1' } };
    }
  }
  return { kind: 'update', updates };
}

/** Contact header values may hold several comma-separated contacts; commas inside quotes or <> do not separate. */
function splitContacts(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth--;
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((c) => c.length > 0);
}
