/** Private slots the container keeps on SBB objects and prototypes. */
export const SBB_CONTEXT = Symbol('sleet:sbb-context');
export const CMP_DEFAULTS = Symbol('sleet:cmp-defaults');
export const ACCESSORS_INSTALLED = Symbol('sleet:accessors-installed');
