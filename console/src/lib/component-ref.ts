import type { ComponentId } from './types';

/** `name:vendor:version`, as the management API takes component references. */
export const refOf = (id: ComponentId) => `${id.name}:${id.vendor}:${id.version}`;
