/** Resolves an address to the name of its profile in a service's address profile table. */
export type AddressProfileResolver = (table: string, address: string) => string | null | Promise<string | null>;
