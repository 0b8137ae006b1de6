import { buildResponse, dialogKey, type Dialog, type DialogSnapshot } from '../dialog/index.js';
import type { SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import type { SipActivityHost } from './sip-activity-host.js';
import { DialogActivity } from './dialog-activity.js';
import { InDialogRequest } from './in-dialog-request.js';
import {
  DialogAckEventType,
  DialogByeEventType,
  DialogTerminatedEventType,
  SipDialogRequestEvents,
  dialogRequestEventType,
  responseEventType,
} from './sip-event-types.js';

/** A dialog's activity handle: its id, so that any node of a cluster finds the activity from an in-dialog request. */
function dialogHandle(id: string): string {
  return `dialog:${id}`;
}

/**
 * One SLEE activity per dialog, started on first use, whose in-dialog
 * traffic becomes its events. In a cluster a confirmed dialog's activity is
 * replicated with the dialog's snapshot, and a node that gets a request for
 * a dialog it does not hold takes the activity over from the store.
 */
export class DialogActivities {
  private readonly activities = new Map<Dialog, DialogActivity>();

  constructor(
    private readonly host: SipActivityHost,
    private readonly onStarted: () => void,
  ) {}

  activityFor(dialog: Dialog): DialogActivity {
    const existing = this.activities.get(dialog);
    if (existing) return existing;
    const activity = new DialogActivity(dialogHandle(dialog.id), dialog);
    this.activities.set(dialog, activity);
    this.host.startActivity(activity.handle, activity);
    this.onStarted();
    this.relayEvents(dialog, activity);
    if (this.host.clustered) {
      // A UAS dialog is confirmed by answer(), inside the SBB's transaction: replicating then would make that
      // transaction wait on Redis while the events it caused (its server transaction's end) run against the same
      // entity, and a conflict would re-run a handler that already answered. Its ACK comes once that is over.
      if (dialog.role === 'uas') dialog.once('ack', () => this.replicate(activity));
      else if (dialog.state === 'confirmed') this.replicate(activity);
      else dialog.once('confirmed', () => this.replicate(activity));
    }
    return activity;
  }

  /**
   * An in-dialog request for a dialog this node does not hold: in a cluster,
   * the dialog and its activity (SBB entities with it) are loaded from the
   * store and the request is delivered as on the node that owned it. False
   * (481 from the stack) on a single node; 481 here when nothing is stored.
   */
  takeOver(request: SipRequest, tx: ServerTransaction): boolean {
    if (!this.host.clustered) return false;
    const handle = dialogHandle(dialogKey(request.callId, request.to.tag ?? '', request.from.tag ?? ''));
    let restored: DialogActivity | null = null;
    this.host
      .adopt(handle, (state) => (restored = this.rebuild(handle, state)))
      .then((adopted) => {
        // Adopted without the rebuild running: another request of the dialog took it over meanwhile, and it is held now.
        if (adopted) {
          if (restored !== null) this.replicate(restored);
          if (!this.host.stack.dialogs.handleRequest(tx, request)) this.refuse(request, tx);
          return;
        }
        // Rebuilt, then not adopted (the record went meanwhile): the dialog goes too, its activity never started.
        restored?.dialog.terminate('closed');
        this.refuse(request, tx);
      })
      .catch((err: unknown) => {
        this.host.warn(`could not take over dialog ${handle}`, err);
        restored?.dialog.terminate('closed');
        if (!tx.isTerminated) tx.respond(buildResponse(request, 500, { reason: 'Server Internal Error - dialog takeover failed', toTag: request.to.tag }));
      });
    return true;
  }

  /**
   * The activity of a dialog another node replicated, rebuilt from its
   * snapshot when this node takes it over by id (a durable timer set on it
   * fires here); null for other handles or state.
   */
  recreate(handle: string, state: unknown): DialogActivity | null {
    return handle.startsWith(dialogHandle('')) ? this.rebuild(handle, state) : null;
  }

  /** A dialog recreated by `recreate` is held here now: its record goes on carrying the dialog's snapshot. */
  adopted(handle: string): void {
    for (const activity of this.activities.values()) if (activity.handle === handle) this.replicate(activity);
  }

  /** The dialog restored in the stack from a snapshot, as an activity relaying its events; null when the state is no snapshot. */
  private rebuild(handle: string, state: unknown): DialogActivity | null {
    if (!isDialogSnapshot(state)) return null;
    const dialog = this.host.stack.dialogs.restore(state);
    const activity = new DialogActivity(handle, dialog);
    this.activities.set(dialog, activity);
    this.relayEvents(dialog, activity);
    return activity;
  }

  private refuse(request: SipRequest, tx: ServerTransaction): void {
    if (!tx.isTerminated) tx.respond(buildResponse(request, 481, { toTag: request.to.tag }));
  }

  /** From now on (and again once taken over) the activity is replicated, its record carrying the dialog's current snapshot. */
  private replicate(activity: DialogActivity): void {
    const dialog = activity.dialog;
    this.host.replicate(activity.handle, () => dialog.snapshot()).catch((err: unknown) => this.host.warn(`could not replicate ${activity.handle}`, err));
  }

  private relayEvents(dialog: Dialog, activity: DialogActivity): void {
    const host = this.host;
    dialog.on('request', (request, tx) => {
      const inDialog = new InDialogRequest(request, tx, dialog);
      host.fire(
        activity.handle,
        dialogRequestEventType(request.method),
        { request, source: tx.source, transaction: inDialog, dialog: activity },
        undefined,
        (failed, delivered) => {
          if (!inDialog.isAnswered)
            inDialog.respondDefault(
              failed ? 500 : delivered === 0 ? 501 : 500,
              failed ? 'Server Internal Error' : delivered === 0 ? 'Not Implemented' : 'Server Internal Error - no answer',
            );
        },
        () => inDialog.isAnswered,
      );
    });
    // The stack answered the PRACK 200 (RFC 3262); an SBB waiting for it (early media, a 200 held back) learns of it here.
    dialog.on('prack', (prack, tx) =>
      host.fire(activity.handle, SipDialogRequestEvents.PRACK, {
        request: prack,
        source: tx.source,
        transaction: new InDialogRequest(prack, tx, dialog, true),
        dialog: activity,
      }),
    );
    dialog.on('ack', (ack) => host.fire(activity.handle, DialogAckEventType, { request: ack, dialog: activity }));
    dialog.on('bye', (bye) => host.fire(activity.handle, DialogByeEventType, { request: bye, dialog: activity }));
    dialog.on('response', (response) => host.fire(activity.handle, responseEventType(response.status), { response, transaction: null, dialog: activity }));
    dialog.on('terminated', (reason) => {
      host.fire(activity.handle, DialogTerminatedEventType, { dialog: activity, reason });
      this.activities.delete(dialog);
      host.endActivity(activity.handle);
    });
  }
}

/** What a node's adaptor stored: a dialog snapshot, or something else (then nothing is adopted). */
function isDialogSnapshot(state: unknown): state is DialogSnapshot {
  if (typeof state !== 'object' || state === null) return false;
  const s = state as Partial<DialogSnapshot>;
  return (
    (s.role === 'uac' || s.role === 'uas') &&
    typeof s.callId === 'string' &&
    typeof s.localTag === 'string' &&
    typeof s.remoteTag === 'string' &&
    typeof s.localUri === 'string' &&
    typeof s.remoteUri === 'string' &&
    typeof s.remoteTarget === 'string' &&
    Array.isArray(s.routeSet)
  );
}
