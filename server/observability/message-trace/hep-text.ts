import { isIP } from 'node:net';
import type { WireMessage } from '../../../resource-adaptors/sip/transport/index.js';

/**
 * One traced message as a JSON line named after the HEPv3 chunks (HOMER's
 * capture protocol): what a HEP sender (heplify, hepipe) or a script needs
 * to replay it into HOMER. Source and destination follow the direction.
 */
export function hepTextLine(wire: WireMessage, timeMicros: bigint, captureId: number): string {
  const local = { ip: wire.localAddress, port: wire.localPort };
  const remote = { ip: wire.remoteAddress, port: wire.remotePort };
  const [src, dst] = wire.direction === 'in' ? [remote, local] : [local, remote];
  return `${JSON.stringify({
    ip_family: isIP(src.ip) === 6 || isIP(dst.ip) === 6 ? 10 : 2,
    ip_protocol_id: wire.transport === 'UDP' ? 17 : 6,
    src_ip: src.ip,
    dst_ip: dst.ip,
    src_port: src.port,
    dst_port: dst.port,
    time_sec: Number(timeMicros / 1_000_000n),
    time_usec: Number(timeMicros % 1_000_000n),
    protocol_type: 1,
    capture_agent_id: captureId,
    transport: wire.transport,
    direction: wire.direction,
    payload: wire.bytes.toString('utf8'),
  })}\n`;
}
