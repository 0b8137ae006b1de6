/** How far a bulk import has gone, in rows. */
export interface ImportProgress {
  readonly done: number;
  readonly total: number;
}
