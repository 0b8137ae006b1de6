/** Files a node keeps in its data directory besides the deployment and profile data. */
export const MANAGEMENT_TOKEN_FILE = 'management-token';
/** The token HTTP services require when HTTP authentication is on. */
export const HTTP_TOKEN_FILE = 'http-token';
/** The URL the management API listens on, so local CLI calls find a node started on port 0. */
export const MANAGEMENT_URL_FILE = 'management-url';
/** The key of the SIP Record-Route tokens (copy it to every node of a cluster). */
export const ROUTE_SECRET_FILE = 'route-secret';
/** Persisted RA entities, link names and trace levels. */
export const RESOURCES_FILE = 'resources.json';
/** The key digest nonces are signed with. */
export const DIGEST_SECRET_FILE = 'digest-secret';
/** Deployed units and their state (the deployment manager's). */
export const DEPLOYMENT_FILE = 'deployment.json';
export const BUNDLE_DIRS = ['units', 'staging'] as const;
/** The PID of the node using the directory; one node per data directory. */
export const NODE_LOCK_FILE = 'node.lock';
/** SIP message traces written to files (pcap-ng, HEP-ready lines). */
export const TRACES_DIR = 'traces';
