import type { EventType } from '../component-model/event-type.js';
import type { SbbCaller } from '../entity/sbb-caller.js';
import type { SbbLocalObject } from '../entity/sbb-local-object.js';
import { entityOf } from '../entity/local-object.js';
import type { ActivityContext } from './activity-context.js';
import { ActivityContextInterface } from './activity-context-interface.js';
import type { ActivityOf } from './activity-of.js';

/** An activity context as seen by one SBB object during one method call; `E` only types its activity for the SBB. */
export class AciView<E = unknown> extends ActivityContextInterface<E> {
  constructor(
    readonly context: ActivityContext,
    private readonly caller: SbbCaller,
  ) {
    super();
  }

  get activity(): ActivityOf<E> {
    return this.context.activity as ActivityOf<E>;
  }

  get id(): string {
    return this.context.id;
  }

  get isEnding(): boolean {
    return this.context.state !== 'active';
  }

  private target(sbb?: SbbLocalObject) {
    return sbb ? entityOf(sbb) : this.caller.requireEntity();
  }

  attach(sbb?: SbbLocalObject): void {
    this.caller.host.attach(this.caller.requireTx(), this.context, this.target(sbb));
  }

  detach(sbb?: SbbLocalObject): void {
    this.caller.host.detach(this.caller.requireTx(), this.context, this.target(sbb));
  }

  isAttached(sbb?: SbbLocalObject): boolean {
    return this.context.attached.has(this.target(sbb));
  }

  get<T = unknown>(name: string): T | undefined {
    return this.caller.host.readAttribute(this.caller.tx, this.context, name) as T | undefined;
  }

  set(name: string, value: unknown): void {
    this.caller.host.writeAttribute(this.caller.requireTx(), this.context, name, value);
  }

  mask(eventTypes: Array<EventType | string>): void {
    this.caller.host.mask(this.caller.requireTx(), this.context, this.caller.requireEntity(), eventTypes);
  }

  get maskedEventTypes(): string[] {
    return [...(this.context.masks?.get(this.caller.requireEntity()) ?? [])];
  }
}
