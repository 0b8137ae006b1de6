import type { EventType } from '../../../slee/component-model/event-type.js';
import type { SipStack } from '../stack/index.js';
import type { Dialog } from '../dialog/index.js';
import type { DialogActivity } from './dialog-activity.js';

/** What the SIP activities need from the resource adaptor that owns them. */
export interface SipActivityHost {
  readonly stack: SipStack;
  startActivity(handle: string, activity: object): void;
  fire<E>(handle: string, type: EventType<E>, event: E, address?: string, onProcessed?: (failed: boolean, delivered: number) => void): void;
  endActivity(handle: string): void;
  /** The SLEE activity for a dialog, started on first use. */
  dialogActivity(dialog: Dialog): DialogActivity;
  nextHandle(prefix: string): string;
}
