import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { EventType, EventTypeId } from '../component-model/event-type.js';
import { eventTypeKey } from '../component-model/event-type.js';

/** The event types known to the SLEE, by key and by the short name that handler conventions use. */
export class EventTypeRegistry {
  private readonly byKey = new Map<string, EventType>();
  private readonly byShort = new Map<string, EventType[]>();

  register(type: EventType): void {
    const existing = this.byKey.get(type.key);
    if (existing) return;
    this.byKey.set(type.key, type);
    const list = this.byShort.get(type.short) ?? [];
    list.push(type);
    this.byShort.set(type.short, list);
  }

  get(id: EventTypeId): EventType {
    const type = this.byKey.get(eventTypeKey(id));
    if (!type) throw new SleetError(ErrorCode.UNKNOWN_EVENT_TYPE, `unknown event type ${eventTypeKey(id)}`);
    return type;
  }

  has(id: EventTypeId): boolean {
    return this.byKey.has(eventTypeKey(id));
  }

  /** The event types a conventional handler `on<short>` may mean. */
  byShortName(short: string): readonly EventType[] {
    return this.byShort.get(short) ?? [];
  }

  list(): EventType[] {
    return [...this.byKey.values()];
  }
}
