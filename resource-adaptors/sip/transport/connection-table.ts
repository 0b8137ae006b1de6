import { normaliseAddress } from './ip-address.js';
import type { SipConnection } from './sip-connection.js';

/**
 * Open TCP/TLS/WS/WSS connections by remote transport+address+port (for reuse by
 * requests and responses) and by id (for responses on the request's own
 * connection). Incoming connections are keyed by their source port.
 */
export class ConnectionTable {
  private readonly byKey = new Map<string, SipConnection>();
  private readonly byId = new Map<number, SipConnection>();

  static key(transport: string, address: string, port: number): string {
    return `${transport}|${normaliseAddress(address)}|${port}`;
  }

  get size(): number {
    return this.byId.size;
  }

  add(connection: SipConnection): void {
    this.byId.set(connection.id, connection);
    this.byKey.set(ConnectionTable.key(connection.transport, connection.remoteAddress, connection.remotePort), connection);
  }

  remove(connection: SipConnection): void {
    this.byId.delete(connection.id);
    const key = ConnectionTable.key(connection.transport, connection.remoteAddress, connection.remotePort);
    if (this.byKey.get(key) === connection) this.byKey.delete(key);
  }

  find(transport: string, address: string, port: number): SipConnection | undefined {
    const c = this.byKey.get(ConnectionTable.key(transport, address, port));
    return c?.isOpen ? c : undefined;
  }

  byConnectionId(id: number): SipConnection | undefined {
    const c = this.byId.get(id);
    return c?.isOpen ? c : undefined;
  }

  all(): SipConnection[] {
    return [...this.byId.values()];
  }
}
