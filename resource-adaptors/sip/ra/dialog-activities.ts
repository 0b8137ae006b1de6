import type { Dialog } from '../dialog/index.js';
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

/** One SLEE activity per dialog, started on first use, whose in-dialog traffic becomes its events. */
export class DialogActivities {
  private readonly activities = new Map<Dialog, DialogActivity>();

  constructor(
    private readonly host: SipActivityHost,
    private readonly onStarted: () => void,
  ) {}

  activityFor(dialog: Dialog): DialogActivity {
    const existing = this.activities.get(dialog);
    if (existing) return existing;
    const activity = new DialogActivity(this.host.nextHandle('dialog'), dialog);
    this.activities.set(dialog, activity);
    this.host.startActivity(activity.handle, activity);
    this.onStarted();
    this.relayEvents(dialog, activity);
    return activity;
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
