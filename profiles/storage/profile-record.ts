/** A profile as read from a table: its name and every attribute (null when unset). */
export interface ProfileRecord<T = Record<string, unknown>> {
  readonly table: string;
  readonly name: string;
  readonly values: Readonly<T>;
}
