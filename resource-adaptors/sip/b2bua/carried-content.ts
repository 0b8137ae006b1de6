import type { InDialogRequestOptions } from '../dialog/index.js';
import type { SipMessage } from '../message/index.js';

/** Headers whose meaning crosses the bridge; the rest (Via, Contact, routes, tags, CSeq, session timer) belongs to one leg. */
const CARRIED = ['Refer-To', 'Referred-By', 'Event', 'Subscription-State', 'Info-Package', 'Recv-Info', 'Reason'];

/** The body and the carried headers of a message, as a request or response on the other leg gets them. */
export function carriedContent(message: SipMessage): InDialogRequestOptions {
  const headers: Record<string, string[]> = {};
  for (const name of CARRIED) {
    const values = message.getAll(name);
    if (values.length > 0) headers[name] = values;
  }
  const type = message.get('Content-Type');
  return { headers, ...(message.body.length > 0 ? { body: message.body, ...(type === undefined ? {} : { contentType: type }) } : {}) };
}
