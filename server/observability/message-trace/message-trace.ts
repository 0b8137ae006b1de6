import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { WireMessage } from '../../../resource-adaptors/sip/transport/index.js';
import type { MessageTraceSettings, MessageTraceStatus } from '../../management/api/schemas.js';
import type { TraceSink } from '../node-sip-observer.js';
import { inScope, type TraceScope } from './trace-filter.js';
import { pcapngHeader, pcapngPacket } from './pcapng.js';
import { hepTextLine } from './hep-text.js';

export interface MessageTraceOptions {
  logger: Logger;
  /** Where trace files go (`<data-dir>/traces`). */
  dir: string;
  /** The HEP capture agent id in HEP-ready lines; default 2001. */
  captureId?: number;
}

/**
 * The SIP message trace, switched at run time through management: every
 * message, one user's or one Call-ID's, in full with its time, direction,
 * transport and addresses, to the node's log or to a file in pcap-ng (for
 * Wireshark) or HEP-ready JSON lines (for HOMER). Off, it costs the SIP
 * entities one property read per message.
 */
export class MessageTrace implements TraceSink {
  private scope: TraceScope | null = null;
  private settings: MessageTraceSettings = { scope: 'off', output: 'log', format: 'pcapng' };
  private file: string | null = null;
  private stream: WriteStream | null = null;
  private count = 0;
  private startedAt: number | null = null;
  private readonly log: Logger;

  constructor(private readonly options: MessageTraceOptions) {
    this.log = options.logger.child({ component: 'sip-trace' });
  }

  get active(): boolean {
    return this.scope !== null;
  }

  status(): MessageTraceStatus {
    const s = this.settings;
    return {
      scope: s.scope,
      user: s.user ?? null,
      callId: s.callId ?? null,
      output: s.output,
      format: s.format,
      file: this.file,
      messages: this.count,
      startedAt: this.startedAt,
    };
  }

  /** Switches the trace off, or on with new settings (closing any file of the previous ones). */
  async set(settings: MessageTraceSettings): Promise<MessageTraceStatus> {
    await this.closeFile();
    this.settings = settings;
    this.count = 0;
    this.scope =
      settings.scope === 'off'
        ? null
        : settings.scope === 'all'
          ? { kind: 'all' }
          : settings.scope === 'user'
            ? { kind: 'user', user: settings.user! }
            : { kind: 'call', callId: settings.callId! };
    this.startedAt = this.scope === null ? null : Date.now();
    if (this.scope !== null && settings.output === 'file') this.openFile(settings);
    this.log.info({ trace: this.status() }, this.scope === null ? 'SIP message trace off' : `SIP message trace on: ${describe(settings)}`);
    return this.status();
  }

  write(wire: WireMessage, entity: string): void {
    const scope = this.scope;
    if (scope === null || !inScope(scope, wire)) return;
    this.count++;
    const micros = BigInt(Date.now()) * 1000n;
    const local = `${wire.localAddress}:${wire.localPort}`;
    const remote = `${wire.remoteAddress}:${wire.remotePort}`;
    if (this.stream === null) {
      const arrow = wire.direction === 'in' ? `${remote} -> ${local}` : `${local} -> ${remote}`;
      this.log.info(
        { entity, direction: wire.direction, transport: wire.transport, local, remote },
        `SIP ${wire.direction} ${wire.transport} ${arrow}\n${wire.bytes.toString('utf8')}`,
      );
      return;
    }
    if (this.settings.format === 'hep') {
      this.stream.write(hepTextLine(wire, micros, this.options.captureId ?? 2001));
      return;
    }
    const inbound = wire.direction === 'in';
    this.stream.write(
      pcapngPacket({
        timeMicros: micros,
        sourceAddress: inbound ? wire.remoteAddress : wire.localAddress,
        sourcePort: inbound ? wire.remotePort : wire.localPort,
        destinationAddress: inbound ? wire.localAddress : wire.remoteAddress,
        destinationPort: inbound ? wire.localPort : wire.remotePort,
        payload: wire.bytes,
        ...(wire.transport === 'UDP' ? {} : { comment: `SIP over ${wire.transport}` }),
      }),
    );
  }

  /** Stops the trace and closes its file. */
  async close(): Promise<void> {
    this.scope = null;
    await this.closeFile();
  }

  private openFile(settings: MessageTraceSettings): void {
    mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    this.file = join(this.options.dir, settings.file ?? `sip-${stamp}.${settings.format === 'hep' ? 'hep.jsonl' : 'pcapng'}`);
    // Messages hold addresses and credentials' digests: the file is the operator's alone.
    this.stream = createWriteStream(this.file, { flags: 'w', mode: 0o600 });
    this.stream.on('error', (err) => {
      this.log.error({ err, file: this.file }, 'SIP message trace file failed; trace switched off');
      this.scope = null;
      this.stream = null;
    });
    if (settings.format === 'pcapng') this.stream.write(pcapngHeader());
  }

  private async closeFile(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (stream !== null) await new Promise<void>((resolve) => stream.end(resolve));
  }
}

function describe(s: MessageTraceSettings): string {
  const who = s.scope === 'all' ? 'all messages' : s.scope === 'user' ? `user ${s.user}` : `Call-ID ${s.callId}`;
  return `${who} to ${s.output === 'log' ? 'the log' : `a ${s.format} file`}`;
}
