import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { NotificationHub } from '../notifications/notification-hub.js';
import type { ManagementNotification } from '../api/notification-schema.js';

const HEARTBEAT_MS = 15_000;

/**
 * Management notifications over server-sent events and WebSocket. Both
 * stream every notification from the hub as JSON until the client goes
 * away or the server closes.
 */
export class NotificationStreams {
  private readonly sse = new Set<ServerResponse>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly hub: NotificationHub) {
    // Comments keep idle proxies and load balancers from dropping quiet streams.
    this.heartbeat = setInterval(() => {
      for (const res of this.sse) res.write(': keep-alive\n\n');
      for (const ws of this.wss.clients) ws.ping();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Takes over a response and streams notifications to it as `text/event-stream`. */
  openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    this.sse.add(res);
    const unsubscribe = this.hub.subscribe((n) => res.write(eventText(n)));
    const close = () => {
      unsubscribe();
      this.sse.delete(res);
    };
    req.on('close', close);
    res.on('close', close);
  }

  /** Handles an HTTP upgrade the caller has already authenticated. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const unsubscribe = this.hub.subscribe((n) => ws.send(JSON.stringify(n)));
      ws.on('close', unsubscribe);
      ws.on('error', unsubscribe);
    });
  }

  /** Ends every open stream, so that the HTTP server can close. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.sse) res.end();
    this.sse.clear();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

/** Rejects an upgrade with a status line before any WebSocket handshake. */
export function refuseUpgrade(socket: Duplex, status: 401 | 404, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

function eventText(n: ManagementNotification): string {
  return `id: ${n.seq}\nevent: ${n.type}\ndata: ${JSON.stringify(n)}\n\n`;
}
