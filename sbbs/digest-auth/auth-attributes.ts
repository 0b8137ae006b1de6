/** ACI attributes the digest-auth service sets on a request's activity for the services after it. */
export const AuthAttributes = {
  /** The digest username that authenticated the request. */
  USER: 'sleet.auth.user',
  /** The address of record of that subscriber. */
  AOR: 'sleet.auth.aor',
  /** True when the request came from a trusted source and was not challenged. */
  TRUSTED: 'sleet.auth.trusted',
} as const;
