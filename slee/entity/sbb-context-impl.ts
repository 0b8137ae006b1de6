import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ComponentId } from '../component-model/component-id.js';
import type { EventType } from '../component-model/event-type.js';
import type { ActivityContextInterface } from '../activity/activity-context-interface.js';
import { AciView } from '../activity/aci-view.js';
import type { SbbComponent } from '../deployment/sbb-component.js';
import type { ServiceComponent } from '../deployment/service-component.js';
import type { Transaction } from '../transaction/transaction.js';
import type { EventContext } from '../router/event-context.js';
import { SbbContext, type FireOptions } from './sbb-context.js';
import type { SbbEntity } from './sbb-entity.js';
import type { SbbCaller } from './sbb-caller.js';
import type { SbbHost } from './sbb-host.js';
import type { SbbLocalObject } from './sbb-local-object.js';
import { createLocalObject } from './local-object.js';

/**
 * One per pooled SBB object: binds the object to the entity and transaction
 * of the method running now, and gives facilities that state.
 */
export class SbbContextImpl extends SbbContext implements SbbCaller {
  object!: object;
  entity: SbbEntity | null = null;
  tx: Transaction | null = null;
  event: EventContext | null = null;

  constructor(
    readonly host: SbbHost,
    private readonly serviceComponent: ServiceComponent,
    readonly component: SbbComponent,
    /** The pool the object goes back to when its call ends (its SbbObjectPool). */
    readonly pool: { release(ctx: SbbContextImpl): void },
  ) {
    super();
  }

  bind(entity: SbbEntity, tx: Transaction, event: EventContext | null): void {
    this.entity = entity;
    this.tx = tx;
    this.event = event;
  }

  unbind(): void {
    this.entity = null;
    this.tx = null;
    this.event = null;
  }

  requireEntity(): SbbEntity {
    if (!this.entity) {
      throw new SleetError(ErrorCode.TRANSACTION_REQUIRED, `SBB ${this.component.id.name} is not serving an entity now (called outside a handler?)`);
    }
    return this.entity;
  }

  requireTx(): Transaction {
    if (!this.tx || !this.tx.active) {
      throw new SleetError(
        ErrorCode.TRANSACTION_REQUIRED,
        `SBB ${this.component.id.name} has no active transaction (called outside a handler, or after it returned?)`,
      );
    }
    return this.tx;
  }

  get sbb(): ComponentId {
    return this.component.id;
  }

  get service(): ComponentId {
    return this.serviceComponent.id;
  }

  get sbbLocalObject(): SbbLocalObject {
    return createLocalObject(this, this.requireEntity());
  }

  getActivities(): ActivityContextInterface[] {
    return this.host.attachedActivities(this.requireEntity()).map((ac) => new AciView(ac, this));
  }

  fireEvent<E>(type: EventType<E>, event: E, aci: ActivityContextInterface, options: FireOptions = {}): void {
    const tx = this.requireTx();
    const ac = this.host.activityOf(aci);
    this.host.eventTypes.get(type);
    tx.onCommit(() => this.host.fire(ac, type, event, options.address ?? null, options.service ?? null));
  }

  setRollbackOnly(): void {
    this.requireTx().setRollbackOnly();
  }

  get rollbackOnly(): boolean {
    return this.requireTx().rollbackOnly;
  }

  get eventContext(): EventContext | null {
    return this.event;
  }
}
