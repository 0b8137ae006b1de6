/** Where and why an imported row was rejected. */
export interface RejectedRow {
  readonly line: number;
  readonly profileName?: string;
  readonly attribute?: string;
  readonly reason: string;
}
