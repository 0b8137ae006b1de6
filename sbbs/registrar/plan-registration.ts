import type { SipRequest } from '../../resource-adaptors/sip/message/index.js';
import { NameAddr } from '../../resource-adaptors/sip/message/index.js';
import type { Binding } from '../location/binding.js';
import { bindingKey } from '../location/binding-key.js';
import type { RegistrarSettings } from './registrar-settings.js';

/** One change to the AOR's bindings: `expires` 0 removes the contact (or, with `instance` and `regId`, the flow). */
export interface BindingUpdate {
  contact: string;
  expires: number;
  q: number;
  /** RFC 5626: the `+sip.instance` (unquoted) and `reg-id` of an outbound registration, which is kept per flow. */
  instance?: string;
  regId?: number;
}

export type RegistrationPlan =
  { kind: 'update'; updates: BindingUpdate[]; outbound: boolean } | { kind: 'reject'; status: number; reason: string; headers?: Record<string, string> };

/**
 * RFC 3261 §10.3 steps 6-7 without touching storage: what a REGISTER asks
 * for against the AOR's current bindings, or why it must be refused. With
 * `outbound` in Supported, a Contact with `+sip.instance` and `reg-id` is a
 * flow (RFC 5626 §6): one per REGISTER, and only when the first hop (the
 * first Path entry, or us when there is none) supports outbound.
 */
export function planRegistration(request: SipRequest, current: readonly Binding[], settings: RegistrarSettings): RegistrationPlan {
  const raw = request.getAll('Contact').flatMap(splitContacts);
  const headerExpires = request.expires;
  if (raw.some((c) => c === '*')) {
    if (raw.length !== 1 || headerExpires !== 0)
      return { kind: 'reject', status: 400, reason: 'Bad Request - Contact: * needs Expires: 0 and no other contact' };
    const updates = current.map((b) => ({ ...b, expires: 0 }));
    return checkOrder(request, current, updates, false);
  }
  const outboundAsked = request
    .getAll('Supported')
    .concat(request.getAll('k'))
    .some((v) => v.split(',').some((tag) => tag.trim().toLowerCase() === 'outbound'));
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
    const update: BindingUpdate = { contact: contact.uri.toString(), expires: Math.min(asked, settings.maxExpires), q };
    const instance = unquote(contact.params.get('+sip.instance'));
    const regId = contact.params.get('reg-id');
    // §6: reg-id counts only with an instance and the option tag; otherwise RFC 3261 applies.
    if (outboundAsked && instance !== undefined && regId !== undefined && regId !== null) {
      if (!/^[1-9]\d{0,9}$/.test(regId) || Number(regId) > 2 ** 31 - 1) return { kind: 'reject', status: 400, reason: 'Bad Request - malformed reg-id' };
      update.instance = instance;
      update.regId = Number(regId);
    }
    updates.push(update);
  }
  const flows = updates.filter((u) => u.regId !== undefined);
  if (flows.length === 0) return checkOrder(request, current, updates, false);
  if (flows.some((u) => u.expires > 0) && updates.length > 1)
    return { kind: 'reject', status: 400, reason: 'Bad Request - a REGISTER with reg-id holds one Contact' };
  const firstHop = request.getAll('Path').flatMap(splitContacts)[0];
  if (firstHop !== undefined && !firstHopSupportsOutbound(firstHop)) return { kind: 'reject', status: 439, reason: 'First Hop Lacks Outbound Support' };
  return checkOrder(request, current, updates, true);
}

/** §10.3 step 7: a binding from the same Call-ID may only be changed by a higher CSeq. */
function checkOrder(request: SipRequest, current: readonly Binding[], updates: BindingUpdate[], outbound: boolean): RegistrationPlan {
  const callId = request.callId;
  const cseq = request.cseq.seq;
  for (const update of updates) {
    const existing = current.find((b) => bindingKey(b) === bindingKey(update));
    if (existing !== undefined && existing.callId === callId && cseq <= existing.cseq) {
      return { kind: 'reject', status: 500, reason: 'Server Internal Error - REGISTER out of order', headers: { 'Retry-After': '1' } };
    }
  }
  return { kind: 'update', updates, outbound };
}

/** RFC 5626 §5.1: an edge proxy that supports outbound marks its Path URI with `;ob`. */
function firstHopSupportsOutbound(path: string): boolean {
  try {
    return NameAddr.parse(path).uri.params.has('ob');
  } catch {
    return false;
  }
}

function unquote(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null || value.length === 0) return undefined;
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** Contact (and Path) header values may hold several comma-separated contacts; commas inside quotes or <> do not separate. */
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
