/**
 * One string per peer address. Every datagram's address arrives as a new
 * string, and waiting transactions keep theirs (the source, where a request
 * went) for up to 64·T1: at overload rates that is tens of thousands of
 * copies of a few addresses for each old-generation collection to mark.
 * Bounded, so spoofed sources cost a refill, never memory.
 */
export class AddressTexts {
  private readonly texts = new Map<string, string>();

  constructor(private readonly limit = 1024) {}

  /** The copy of `address` already held, or `address`, now held. */
  of(address: string): string {
    const held = this.texts.get(address);
    if (held !== undefined) return held;
    if (this.texts.size >= this.limit) this.texts.clear();
    this.texts.set(address, address);
    return address;
  }

  get size(): number {
    return this.texts.size;
  }
}
