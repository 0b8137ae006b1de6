/**
 * The catalogue of stable error codes, each with the HTTP status the management
 * REST API answers it with (500 where it should never reach a client as its own
 * fault). Codes never change meaning once released; add new ones in the section
 * of the subsystem that raises them.
 */
const CATALOGUE = {
  // Component model and deployment
  INVALID_COMPONENT: { code: 'SLEET_ERR_INVALID_COMPONENT', status: 400 },
  UNKNOWN_EVENT_TYPE: { code: 'SLEET_ERR_UNKNOWN_EVENT_TYPE', status: 400 },
  DUPLICATE_COMPONENT: { code: 'SLEET_ERR_DUPLICATE_COMPONENT', status: 409 },
  UNKNOWN_COMPONENT: { code: 'SLEET_ERR_UNKNOWN_COMPONENT', status: 404 },
  /** A broken invariant inside Sleet: a bug, never the caller's fault. */
  INTERNAL: { code: 'SLEET_ERR_INTERNAL', status: 500 },
  // Container state
  INVALID_STATE: { code: 'SLEET_ERR_INVALID_STATE', status: 409 },
  // Transactions
  TRANSACTION_REQUIRED: { code: 'SLEET_ERR_TRANSACTION_REQUIRED', status: 500 },
  TRANSACTION_ROLLED_BACK: { code: 'SLEET_ERR_TRANSACTION_ROLLED_BACK', status: 500 },
  /** A commit found that a concurrent transaction changed an ACI or a name it had read or written. */
  TRANSACTION_CONFLICT: { code: 'SLEET_ERR_TRANSACTION_CONFLICT', status: 500 },
  /** An event handler (or sbbRolledBack) did not settle within the handler timeout. */
  HANDLER_TIMEOUT: { code: 'SLEET_ERR_HANDLER_TIMEOUT', status: 500 },
  NOT_SERIALISABLE: { code: 'SLEET_ERR_NOT_SERIALISABLE', status: 500 },
  /**
   * The request a handler answers was answered meanwhile (the caller cancelled it, or its transaction ended):
   * the handler stops there, as if it had returned, and what it did so far commits.
   */
  ANSWERED_MEANWHILE: { code: 'SLEET_ERR_ANSWERED_MEANWHILE', status: 500 },
  // Activities and naming
  UNRECOGNIZED_ACTIVITY: { code: 'SLEET_ERR_UNRECOGNIZED_ACTIVITY', status: 404 },
  ACTIVITY_ENDING: { code: 'SLEET_ERR_ACTIVITY_ENDING', status: 409 },
  NAME_ALREADY_BOUND: { code: 'SLEET_ERR_NAME_ALREADY_BOUND', status: 409 },
  NAME_NOT_BOUND: { code: 'SLEET_ERR_NAME_NOT_BOUND', status: 404 },
  NO_SUCH_ENTITY: { code: 'SLEET_ERR_NO_SUCH_ENTITY', status: 404 },
  // Facilities
  UNKNOWN_TIMER: { code: 'SLEET_ERR_UNKNOWN_TIMER', status: 404 },
  UNKNOWN_USAGE_PARAMETER: { code: 'SLEET_ERR_UNKNOWN_USAGE_PARAMETER', status: 404 },
  UNKNOWN_ALARM: { code: 'SLEET_ERR_UNKNOWN_ALARM', status: 404 },
  // SIP stack
  SIP_PARSE: { code: 'SLEET_ERR_SIP_PARSE', status: 500 },
  SIP_MESSAGE_TOO_LARGE: { code: 'SLEET_ERR_SIP_MESSAGE_TOO_LARGE', status: 500 },
  SIP_TRANSPORT: { code: 'SLEET_ERR_SIP_TRANSPORT', status: 500 },
  SIP_TRANSACTION: { code: 'SLEET_ERR_SIP_TRANSACTION', status: 500 },
  SIP_DIALOG: { code: 'SLEET_ERR_SIP_DIALOG', status: 500 },
  /** A reliable provisional response (RFC 3262) to an INVITE whose sender offered no 100rel. */
  SIP_100REL_NOT_SUPPORTED: { code: 'SLEET_ERR_SIP_100REL_NOT_SUPPORTED', status: 500 },
  /** A re-INVITE while another INVITE transaction of the dialog is in progress, or waiting to retry after 491 (RFC 3261 §14.1). */
  SIP_REINVITE_PENDING: { code: 'SLEET_ERR_SIP_REINVITE_PENDING', status: 409 },
  SIP_PROXY: { code: 'SLEET_ERR_SIP_PROXY', status: 500 },
  /** A B2BUA bridge asked for without a target. */
  SIP_B2BUA: { code: 'SLEET_ERR_SIP_B2BUA', status: 500 },
  SIP_DNS: { code: 'SLEET_ERR_SIP_DNS', status: 500 },
  // Profiles
  PROFILE_VALIDATION: { code: 'SLEET_ERR_PROFILE_VALIDATION', status: 400 },
  PROFILE_UNIQUE_VIOLATION: { code: 'SLEET_ERR_PROFILE_UNIQUE_VIOLATION', status: 409 },
  PROFILE_NOT_FOUND: { code: 'SLEET_ERR_PROFILE_NOT_FOUND', status: 404 },
  PROFILE_TABLE_EXISTS: { code: 'SLEET_ERR_PROFILE_TABLE_EXISTS', status: 409 },
  PROFILE_TABLE_NOT_FOUND: { code: 'SLEET_ERR_PROFILE_TABLE_NOT_FOUND', status: 404 },
  PROFILE_IMPORT: { code: 'SLEET_ERR_PROFILE_IMPORT', status: 400 },
  PROFILE_READ_ONLY: { code: 'SLEET_ERR_PROFILE_READ_ONLY', status: 409 },
  PROFILE_SPEC_INVALID: { code: 'SLEET_ERR_PROFILE_SPEC_INVALID', status: 400 },
  PROFILE_EXISTS: { code: 'SLEET_ERR_PROFILE_EXISTS', status: 409 },
  PROFILE_QUERY_INVALID: { code: 'SLEET_ERR_PROFILE_QUERY_INVALID', status: 400 },
  PROFILE_WRITE_CONFLICT: { code: 'SLEET_ERR_PROFILE_WRITE_CONFLICT', status: 500 },
  PROFILE_COMMIT_FAILED: { code: 'SLEET_ERR_PROFILE_COMMIT_FAILED', status: 500 },
  // Management (REST, client, CLI) and node configuration
  MANAGEMENT_INVALID_INPUT: { code: 'SLEET_ERR_MANAGEMENT_INVALID_INPUT', status: 400 },
  MANAGEMENT_UNAUTHORIZED: { code: 'SLEET_ERR_MANAGEMENT_UNAUTHORIZED', status: 401 },
  MANAGEMENT_UNAVAILABLE: { code: 'SLEET_ERR_MANAGEMENT_UNAVAILABLE', status: 503 },
  AMBIGUOUS_COMPONENT: { code: 'SLEET_ERR_AMBIGUOUS_COMPONENT', status: 400 },
  CONFIG_INVALID: { code: 'SLEET_ERR_CONFIG_INVALID', status: 500 },
  DATA_DIR_LOCKED: { code: 'SLEET_ERR_DATA_DIR_LOCKED', status: 500 },
  PORT_IN_USE: { code: 'SLEET_ERR_PORT_IN_USE', status: 500 },
  MANAGEMENT_INTERNAL: { code: 'SLEET_ERR_MANAGEMENT_INTERNAL', status: 500 },
  // Deployment (bundles, deployable units, SDK)
  BUNDLE_INVALID: { code: 'SLEET_ERR_BUNDLE_INVALID', status: 400 },
  BUNDLE_DEPENDENCY_MISSING: { code: 'SLEET_ERR_BUNDLE_DEPENDENCY_MISSING', status: 409 },
  BUNDLE_VERSION_CONFLICT: { code: 'SLEET_ERR_BUNDLE_VERSION_CONFLICT', status: 409 },
  BUNDLE_IN_USE: { code: 'SLEET_ERR_BUNDLE_IN_USE', status: 409 },
  BUNDLE_LOAD_FAILED: { code: 'SLEET_ERR_BUNDLE_LOAD_FAILED', status: 400 },
  /** A bundle uses a Node built-in, package or process member its descriptor does not declare. */
  BUNDLE_PERMISSION: { code: 'SLEET_ERR_BUNDLE_PERMISSION', status: 400 },
  UNKNOWN_UNIT: { code: 'SLEET_ERR_UNKNOWN_UNIT', status: 404 },
  STATE_FILE: { code: 'SLEET_ERR_STATE_FILE', status: 500 },
  SDK_VALIDATION: { code: 'SLEET_ERR_SDK_VALIDATION', status: 500 },
  SDK_BUILD: { code: 'SLEET_ERR_SDK_BUILD', status: 500 },
  /** The cluster's shared store (Redis) failed, or holds a record this node cannot use. */
  CLUSTER_STORE: { code: 'SLEET_ERR_CLUSTER_STORE', status: 503 },
  // HTTP resource adaptor
  HTTP_ROUTE_INVALID: { code: 'SLEET_ERR_HTTP_ROUTE_INVALID', status: 500 },
  HTTP_ALREADY_ANSWERED: { code: 'SLEET_ERR_HTTP_ALREADY_ANSWERED', status: 500 },
  HTTP_BAD_REQUEST: { code: 'SLEET_ERR_HTTP_BAD_REQUEST', status: 500 },
} as const satisfies Record<string, { code: `SLEET_ERR_${string}`; status: number }>;

type Catalogue = typeof CATALOGUE;

/** Every code Sleet raises: a mistyped code does not compile. */
export type SleetErrorCode = Catalogue[keyof Catalogue]['code'];

/** The codes by name, as code uses them: `ErrorCode.PROFILE_NOT_FOUND`. */
export const ErrorCode = Object.fromEntries(Object.entries(CATALOGUE).map(([name, entry]) => [name, entry.code])) as {
  readonly [K in keyof Catalogue]: Catalogue[K]['code'];
};

const STATUS: ReadonlyMap<string, number> = new Map(Object.values(CATALOGUE).map((entry) => [entry.code, entry.status]));

/** The HTTP status of a code: unknown things 404, wrong state 409, bad input 400, the rest 500. */
export function httpStatusOf(code: string): number {
  return STATUS.get(code) ?? 500;
}

/** Whether a string from outside (a REST reply, a file) is a code of this catalogue. */
export function isSleetErrorCode(code: string): code is SleetErrorCode {
  return STATUS.has(code);
}
