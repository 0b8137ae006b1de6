/**
 * Bundles run in realms of their own (vm contexts), so their `Number`,
 * `Date` or `Object.prototype` are not the node's. The component model
 * recognises built-ins by the name recorded here, for every realm the node
 * created; weakly held, so an unloaded bundle's realm can still be collected.
 */
const names = new WeakMap<object, string>();
const objectPrototypes = new WeakSet<object>();

export const realmIntrinsics = {
  /** Records a realm's built-in constructors (at least `Object`). */
  register(constructors: Readonly<Record<string, Function>> & { readonly Object: ObjectConstructor }): void {
    for (const [name, ctor] of Object.entries(constructors)) names.set(ctor, name);
    objectPrototypes.add(constructors.Object.prototype);
  },

  /** `'String'`, `'Date'`, ... for a built-in constructor of any registered realm; otherwise undefined. */
  nameOf(value: unknown): string | undefined {
    return (typeof value === 'function' && names.get(value)) || undefined;
  },

  /** Whether `proto` is some registered realm's `Object.prototype` (a plain object's prototype). */
  isObjectPrototype(proto: unknown): boolean {
    return proto === Object.prototype || (typeof proto === 'object' && proto !== null && objectPrototypes.has(proto));
  },
};

realmIntrinsics.register({ String, Number, Boolean, BigInt, Symbol, Array, Object, Date, Function, Map, Set, Promise });
