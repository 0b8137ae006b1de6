/** Packages declared by SBB classes loaded in this process (`@SipEventPackages`), by class. */
const declared = new Map<object, readonly string[]>();

/**
 * Declares the SIP event packages (RFC 6665 §7) an SBB serves as a
 * notifier or event state compositor: `@SipEventPackages('presence')`. A
 * SUBSCRIBE or PUBLISH for a package no SBB declared, and that no service
 * answered or proxied, gets 489 Bad Event with Allow-Events; an SBB can
 * accept a subscription only to a declared package.
 */
export function SipEventPackages(...packages: string[]): ClassDecorator {
  return (target) => {
    declared.set(
      target,
      packages.map((p) => p.toLowerCase()),
    );
  };
}

/** Every package some SBB class declared. */
export function declaredEventPackages(): Set<string> {
  const all = new Set<string>();
  for (const packages of declared.values()) for (const p of packages) all.add(p);
  return all;
}
