import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { MessageTraceSettings, MessageTraceStatus } from './api/schemas.js';

/** The node's SIP message trace, as management drives it. */
export interface MessageTraceControl {
  status(): MessageTraceStatus;
  set(settings: MessageTraceSettings): Promise<MessageTraceStatus>;
}

/** Switches the SIP message trace at run time: all traffic, one user or one Call-ID, to the log or a file. */
export class MessageTraceManagement {
  constructor(private readonly control: MessageTraceControl | null) {}

  get(): MessageTraceStatus {
    return this.api().status();
  }

  set(settings: MessageTraceSettings): Promise<MessageTraceStatus> {
    return this.api().set(settings);
  }

  private api(): MessageTraceControl {
    if (this.control === null) throw new SleetError(ErrorCode.MANAGEMENT_UNAVAILABLE, 'this node has no SIP message trace');
    return this.control;
  }
}
