export type { Clock, TimerHandle } from './clock.js';
export { SystemClock, type SystemClockOptions } from './system-clock.js';
export { FakeClock } from './fake-clock.js';
