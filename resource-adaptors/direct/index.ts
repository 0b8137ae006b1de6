export { DirectResourceAdaptor } from './direct-resource-adaptor.js';
export type { DirectActivity } from './direct-activity.js';
