/**
 * The example services `--demo` deploys, each built into its own bundle by
 * the SDK, with the profile tables their services read (spec name → table).
 */
export const DEMO_EXAMPLES: ReadonlyArray<{ name: string; tables: Readonly<Record<string, string>> }> = [
  { name: 'call-screening', tables: { BlocklistEntry: 'blocklist' } },
  { name: 'call-forwarding', tables: { ForwardingRule: 'forwarding' } },
  { name: 'click-to-dial', tables: {} },
  { name: 'wake-up-call', tables: {} },
  { name: 'presence', tables: {} },
];
