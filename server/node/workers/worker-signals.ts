/** The environment variable a worker learns its index from, set by the primary at fork. */
export const WORKER_INDEX_ENV = 'SLEET_WORKER_INDEX';

/** What a worker sends the primary once its node serves. */
export const WORKER_READY = 'sleet:worker-ready';
