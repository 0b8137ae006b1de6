import { startFloorRelay } from './floor-relay.js';

// `node dist/bench/sip-load/floor-relay-main.js <port>`: the floor relay in a process of its own, so that its CPU is read
// from /proc as the other proxies' is. It writes `listening <port>` once bound and stops on SIGTERM.
const relay = await startFloorRelay(Number(process.argv[2] ?? 0));
process.stdout.write(`listening ${relay.port}\n`);
process.once('SIGTERM', () => {
  relay.close();
  process.exit(0);
});
