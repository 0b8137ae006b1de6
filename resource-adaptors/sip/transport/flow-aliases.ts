import type { SipMessage } from '../message/index.js';
import type { ConnectionTable } from './connection-table.js';
import type { SipConnection } from './sip-connection.js';

/** A client names a handful of hosts at most; more from one connection are ignored rather than stored. */
const MAX_ALIASES_PER_CONNECTION = 8;

/**
 * RFC 7118 §5: a WebSocket client has no address anyone can reach, so it
 * puts a made-up `<random>.invalid` host in Contact (and Via). Requests for
 * that host can only go back over the connection the client used: this
 * remembers, per `.invalid` host seen in a Contact, that connection. An
 * alias held by an open connection is taken over only from the same remote
 * address (the client reconnecting), so another client cannot divert a
 * registered user's calls by naming their host.
 */
export class FlowAliases {
  private readonly byHost = new Map<string, number>();
  private readonly byConnection = new Map<number, Set<string>>();

  constructor(private readonly connections: ConnectionTable) {}

  static isInvalidHost(host: string): boolean {
    return host.toLowerCase().endsWith('.invalid');
  }

  /** Notes the `.invalid` Contact hosts of a message received on `connection`. */
  note(message: SipMessage, connection: SipConnection): void {
    const contacts = message.getAll('Contact');
    if (contacts.length === 0 || !contacts.some((value) => value.toLowerCase().includes('.invalid'))) return;
    let hosts: string[];
    try {
      hosts = message.contacts.map((c) => c.uri.host.toLowerCase()).filter(FlowAliases.isInvalidHost);
    } catch {
      return; // a malformed Contact is the request's problem, answered above; it names no flow
    }
    for (const host of hosts) this.claim(host, connection);
  }

  /** The open connection that named `host`, if any. */
  find(host: string): SipConnection | undefined {
    const id = this.byHost.get(host.toLowerCase());
    return id === undefined ? undefined : this.connections.byConnectionId(id);
  }

  /** Forgets what a closed connection named. */
  forget(connection: SipConnection): void {
    for (const host of this.byConnection.get(connection.id) ?? []) {
      if (this.byHost.get(host) === connection.id) this.byHost.delete(host);
    }
    this.byConnection.delete(connection.id);
  }

  private claim(host: string, connection: SipConnection): void {
    const holder = this.find(host);
    if (holder === connection) return;
    if (holder !== undefined && holder.remoteAddress !== connection.remoteAddress) return;
    const named = this.byConnection.get(connection.id) ?? new Set<string>();
    if (named.size >= MAX_ALIASES_PER_CONNECTION) return;
    named.add(host);
    this.byConnection.set(connection.id, named);
    this.byHost.set(host, connection.id);
  }
}
