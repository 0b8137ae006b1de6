import type { SipResponse, Via } from '../message/index.js';

/** How long an upstream should apply the reduction we ask for, ms (RFC 7339 §5.2's oc-validity). */
const VALIDITY_MS = 1000;

/**
 * RFC 7339: an upstream that put `oc` in its Via supports overload
 * control, so the top Via of our response tells it what share of requests
 * to drop ("loss" algorithm), for how long, and in which order (oc-seq).
 */
export function addOverloadControl(response: SipResponse, rejectPercent: number, nowMs: number): void {
  const top = response.topVia;
  if (top === undefined) return;
  setOverloadControl(top, rejectPercent, nowMs);
  const vias = response.getAll('Via');
  vias[0] = top.toString();
  response.set('Via', vias);
}

/** The same parameters on a Via value alone (a response built as bytes). */
export function setOverloadControl(top: Via, rejectPercent: number, nowMs: number): void {
  top.params.set('oc', String(Math.round(Math.min(100, Math.max(0, rejectPercent)))));
  top.params.set('oc-algo', '"loss"');
  top.params.set('oc-validity', String(VALIDITY_MS));
  top.params.set('oc-seq', (nowMs / 1000).toFixed(3));
}
