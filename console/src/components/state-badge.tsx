/** A coloured state (ACTIVE, STOPPING, INACTIVE, alarm levels...). */
export function StateBadge({ state }: { state: string }) {
  return <span class={`badge badge-${state.toLowerCase()}`}>{state}</span>;
}
