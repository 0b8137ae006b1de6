import { DEMO_EXAMPLES } from './demo-examples.js';
import { buildDemoBundles } from './build-demo-bundle.js';

/**
 * Run by `npm run build`: builds the demo's example bundles ahead of the
 * first `npm start`, which would otherwise build them while SIP waits.
 * Unchanged examples are cache hits and cost a hash of their sources.
 */
const started = Date.now();
const results = await Promise.all(buildDemoBundles(DEMO_EXAMPLES.map(({ name }) => name)));
process.stdout.write(`demo bundles ready (${results.length}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
