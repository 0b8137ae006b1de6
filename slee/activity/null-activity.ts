/** An activity that belongs to no resource adaptor, for SBBs to group work on (JSLEE NullActivity). */
export interface NullActivity {
  readonly id: string;
  /** Ends the activity when the calling transaction commits. */
  endActivity(): void;
}
