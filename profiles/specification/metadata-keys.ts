/** Reflect-metadata keys the profile decorators write; namespaced so they never clash. */
export const SPEC_KEY = 'sleet:profile-spec';
export const ATTRIBUTES_KEY = 'sleet:profile-attributes';
export const QUERIES_KEY = 'sleet:profile-queries';
export const ADDRESS_KEY = 'sleet:profile-address';
