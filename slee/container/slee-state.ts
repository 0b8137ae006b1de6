/** JSLEE's SLEE states. */
export type SleeState = 'STOPPED' | 'STARTING' | 'RUNNING' | 'STOPPING';

/** JSLEE's service states: STOPPING while existing activities drain after deactivation. */
export type ServiceState = 'INACTIVE' | 'ACTIVE' | 'STOPPING';
