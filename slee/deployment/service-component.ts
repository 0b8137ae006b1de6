import type { ComponentId } from '../component-model/component-id.js';
import type { SbbComponent } from './sbb-component.js';

/** The runtime model of a service: its root SBB, default priority and every SBB in its tree. */
export interface ServiceComponent {
  readonly id: ComponentId;
  readonly key: string;
  readonly root: SbbComponent;
  readonly priority: number;
  readonly addressProfileTable?: string;
  /** Events their resource adaptor says are answered are not delivered to this service (`@Service({ skipAnswered })`). */
  readonly skipAnswered: boolean;
  readonly sbbs: ReadonlyMap<string, SbbComponent>;
}
