import type { ComponentId } from '../component-model/component-id.js';
import type { SbbComponent } from './sbb-component.js';

/** The runtime model of a service: its root SBB, default priority and every SBB in its tree. */
export interface ServiceComponent {
  readonly id: ComponentId;
  readonly key: string;
  readonly root: SbbComponent;
  readonly priority: number;
  readonly addressProfileTable?: string;
  readonly sbbs: ReadonlyMap<string, SbbComponent>;
}
