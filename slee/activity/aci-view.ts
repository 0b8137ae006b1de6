import type { EventType } from '../component-model/event-type.js';
import type { SbbContextImpl } from '../entity/sbb-context-impl.js';
import type { SbbLocalObject } from '../entity/sbb-local-object.js';
import { entityOf } from '../entity/local-object.js';
import type { ActivityContext } from './activity-context.js';
import { ActivityContextInterface } from './activity-context-interface.js';

/** An activity context as seen by one SBB object during one method call. */
export class AciView extends ActivityContextInterface {
  constructor(
    readonly context: ActivityContext,
    private readonly caller: SbbContextImpl,
  ) {
    super();
  }

  get activity(): object {
    return this.context.activity;
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
    this.caller.kernel.attach(this.caller.requireTx(), this.context, this.target(sbb));
  }

  detach(sbb?: SbbLocalObject): void {
    this.caller.kernel.detach(this.caller.requireTx(), this.context, this.target(sbb));
  }

  isAttached(sbb?: SbbLocalObject): boolean {
    return this.context.attached.has(this.target(sbb));
  }

  get<T = unknown>(name: string): T | undefined {
    return this.caller.kernel.readAttribute(this.caller.tx, this.context, name) as T | undefined;
  }

  set(name: string, value: unknown): void {
    this.caller.kernel.writeAttribute(this.caller.requireTx(), this.context, name, value);
  }

  mask(eventTypes: Array<EventType | string>): void {
    this.caller.kernel.mask(this.caller.requireTx(), this.context, this.caller.requireEntity(), eventTypes);
  }

  get maskedEventTypes(): string[] {
    return [...(this.context.masks?.get(this.caller.requireEntity()) ?? [])];
  }
}
