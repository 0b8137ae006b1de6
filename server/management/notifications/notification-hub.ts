import { EventEmitter } from 'node:events';
import type { ManagementNotification, NotificationBody } from '../api/notification-schema.js';

export type NotificationListener = (notification: ManagementNotification) => void;

/** Fans management notifications out to every subscriber (SSE streams, WebSockets, in-process listeners). */
export class NotificationHub {
  private readonly emitter = new EventEmitter<{ notification: [ManagementNotification] }>();
  private seq = 0;

  constructor(private readonly now: () => number = Date.now) {
    // Every open SSE stream or WebSocket is a listener; operators may open many.
    this.emitter.setMaxListeners(0);
  }

  publish(body: NotificationBody): ManagementNotification {
    const notification = { ...body, seq: ++this.seq, at: this.now() } as ManagementNotification;
    this.emitter.emit('notification', notification);
    return notification;
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: NotificationListener): () => void {
    this.emitter.on('notification', listener);
    return () => this.emitter.off('notification', listener);
  }
}
