/** A row for `insertMany`: `line` is where it came from, for error reports. */
export interface ProfileImportRow {
  readonly line: number;
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
}
