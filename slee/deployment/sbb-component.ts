import type { ComponentId } from '../component-model/component-id.js';
import type { EventType } from '../component-model/event-type.js';
import type { InitialEventSelectVariable } from '../component-model/initial-event-select.js';

export type SbbClass = new (...args: never[]) => object;

export interface HandlerModel {
  readonly method: string;
  readonly eventType: EventType;
  readonly maskOnAttach: boolean;
  /** Present when the event is initial for the service whose root this SBB is. */
  readonly initial?: InitialEventModel;
}

interface InitialEventModel {
  readonly select: ReadonlySet<InitialEventSelectVariable>;
  readonly selector?: string;
}

export interface ChildRelationModel {
  readonly name: string;
  readonly child: SbbComponent;
  readonly defaultPriority: number;
}

export type LifecycleCallback =
  'sbbCreate' | 'sbbPostCreate' | 'sbbActivate' | 'sbbPassivate' | 'sbbLoad' | 'sbbStore' | 'sbbRemove' | 'sbbExceptionThrown' | 'sbbRolledBack';

/** The runtime model of an SBB, built by the scanner from the decorators' metadata. */
export interface SbbComponent {
  readonly id: ComponentId;
  readonly key: string;
  readonly ctor: SbbClass;
  readonly handlers: ReadonlyMap<string, HandlerModel>;
  readonly cmpFields: readonly string[];
  readonly childRelations: readonly ChildRelationModel[];
  readonly usage: { readonly counters: ReadonlySet<string>; readonly samples: ReadonlySet<string> };
  /** Resource-adaptor links the SBB and its injectables take. */
  readonly raLinks: readonly string[];
  /** `@Injectable` classes its constructor takes (directly or through another), built for each SBB object. */
  readonly injectables: readonly SbbClass[];
  readonly lifecycle: ReadonlySet<LifecycleCallback>;
  /** Event types of the handlers declared `maskOnAttach`, masked each time an entity attaches. */
  readonly maskedOnAttach: readonly string[];
}
