import type { TransportProtocol } from './transport-types.js';

/** A bound local address the layer receives on and advertises in Via. */
export interface ListenPoint {
  readonly transport: TransportProtocol;
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
  /** Via sent-by host: the advertised host, else the bound address (IPv6 in brackets). */
  readonly sentByHost: string;
  readonly sentByPort: number;
  /** UDP: the receive buffer the kernel granted, in bytes (Linux reports twice what it reserves for data). */
  readonly receiveBufferSize?: number;
}
