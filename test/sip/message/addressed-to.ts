import { parseMessage, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';

/**
 * A real peer puts its own address in its Via: a node answers a UDP request
 * at the top Via's sent-by (RFC 3261 §18.2.2), so a torture message's is
 * rewritten to 127.0.0.1:`port`, in place and nothing else. A message that
 * does not parse is left as it is: those are answered straight back to their source.
 */
export function addressedTo(data: Buffer, port: number): Buffer {
  let request: SipRequest;
  try {
    const message = parseMessage(data);
    if (!message.isRequest) return data;
    request = message as SipRequest;
  } catch {
    return data;
  }
  const top = request.topVia;
  if (top === undefined) return data;
  const text = data.toString('latin1');
  const viaAt = text.search(/^(?:via|v)[ \t]*:/im);
  const sentBy = top.port === undefined ? top.host : `${top.host}:${top.port}`;
  const at = viaAt === -1 ? -1 : text.indexOf(sentBy, viaAt);
  if (at === -1) return data;
  return Buffer.from(`${text.slice(0, at)}127.0.0.1:${port}${text.slice(at + sentBy.length)}`, 'latin1');
}
