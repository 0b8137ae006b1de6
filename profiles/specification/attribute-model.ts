/** The scalar kinds a profile attribute can hold; arrays are a flag on top. */
export type AttributeKind = 'string' | 'number' | 'boolean' | 'bigint' | 'date' | 'enum' | 'json';

/** One attribute of a profile specification, as the store and validator see it. */
export interface AttributeModel {
  readonly name: string;
  readonly kind: AttributeKind;
  /** The attribute holds an array of `kind` values (stored as JSON, not queryable). */
  readonly array: boolean;
  /** Allowed values when kind is 'enum'. */
  readonly values?: readonly string[];
  readonly unique: boolean;
  readonly indexed: boolean;
  readonly required: boolean;
  /** Value used when a new profile does not supply one (before the table's default profile). */
  readonly defaultValue?: unknown;
  /** Maximum length of string/enum values; indexed strings default to 255. */
  readonly length?: number;
}
