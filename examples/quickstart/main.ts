import { Slee } from 'sleet';
import { DirectResourceAdaptor } from 'sleet/direct';
import { LoginEvent, LogoutEvent } from './session-events.js';
import { SessionTrackerSbb } from './session-tracker-sbb.js';

/** Runs the quick-start service in-process: `node dist/examples/quickstart/main.js`. */
const slee = new Slee();
const ra = new DirectResourceAdaptor([LoginEvent, LogoutEvent]);
await slee.createResourceAdaptorEntity('sessions', ra);
await slee.activateResourceAdaptorEntity('sessions');
await slee.start();
slee.activateService(slee.installService(SessionTrackerSbb));

const session = ra.startActivity();
await ra.fire(session, LoginEvent, { user: 'alice' }, 'alice');
await ra.fire(ra.startActivity(), LoginEvent, { user: 'alice' }, 'alice');
await ra.fire(session, LogoutEvent, { user: 'alice' }, 'alice');

const [service] = slee.listServices();
console.log(`entities: ${slee.kernel.entities.size}, root entities of ${service?.id.name}: ${service?.rootEntities}`);
await slee.stop();
