export { PresenceAgentSbb, PRESENCE_MAX_EXPIRES } from './presence-agent-sbb.js';
export { closedDocument, pidfProblem, PIDF_TYPE } from './pidf.js';
export { currentDocument, newEntityTag, type Publication, type Publications } from './publications.js';
