/** One profile write; a list of them commits atomically. */
export type ProfileWrite =
  | { readonly kind: 'create'; readonly table: string; readonly name: string; readonly values: Readonly<Record<string, unknown>> }
  | { readonly kind: 'update'; readonly table: string; readonly name: string; readonly changes: Readonly<Record<string, unknown>> }
  | { readonly kind: 'remove'; readonly table: string; readonly name: string };
