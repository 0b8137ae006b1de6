import type { Container, Newable } from 'inversify';
import type { SbbComponent } from '../deployment/sbb-component.js';
import type { ServiceComponent } from '../deployment/service-component.js';
import type { SbbHost } from './sbb-host.js';
import { SbbContextImpl } from './sbb-context-impl.js';
import { bindObjectContext } from './sbb-accessors.js';

/**
 * Pooled SBB objects of one SBB in one service. Entities are data; an object
 * is taken from the pool for the length of one method call, so memory grows
 * with concurrency, not with the number of entities.
 */
export class SbbObjectPool {
  private readonly free: SbbContextImpl[] = [];
  /** The context of the object being constructed, for the facility bindings to pick up. */
  creating: SbbContextImpl | null = null;
  created = 0;

  constructor(
    private readonly host: SbbHost,
    private readonly service: ServiceComponent,
    readonly component: SbbComponent,
    private readonly container: Container,
  ) {}

  acquire(): SbbContextImpl {
    const ctx = this.free.pop();
    if (ctx) return ctx;
    const fresh = new SbbContextImpl(this.host, this.service, this.component, this);
    this.creating = fresh;
    try {
      fresh.object = this.container.get(this.component.ctor as unknown as Newable<object>);
      bindObjectContext(fresh.object, fresh);
    } finally {
      this.creating = null;
    }
    this.created++;
    return fresh;
  }

  release(ctx: SbbContextImpl): void {
    ctx.unbind();
    if (this.free.length < 64) this.free.push(ctx);
  }

  /** A bare object, not bound to any entity, for initial-event selector methods. */
  withObject<T>(fn: (object: object) => T): T {
    const ctx = this.acquire();
    try {
      return fn(ctx.object);
    } finally {
      this.release(ctx);
    }
  }
}
