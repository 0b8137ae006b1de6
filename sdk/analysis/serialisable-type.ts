import type { Node, Type } from 'ts-morph';

const NOT_SERIALISABLE = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'RegExp', 'Function', 'Symbol', 'Error']);

/**
 * Why values of a type cannot be stored in a CMP field (which keeps
 * structured-cloneable plain data), or undefined when they can.
 */
export function unserialisableReason(type: Type, at: Node, seen = new Set<Type>()): string | undefined {
  if (seen.has(type)) return undefined;
  seen.add(type);
  if (type.isAny() || type.isUnknown() || type.isString() || type.isNumber() || type.isBoolean() || type.isLiteral() || type.isUndefined() || type.isNull()) {
    return undefined;
  }
  if (type.getText() === 'bigint' || type.isBooleanLiteral() || type.isEnum() || type.isEnumLiteral()) return undefined;
  if (type.isUnion()) {
    for (const member of type.getUnionTypes()) {
      const reason = unserialisableReason(member, at, seen);
      if (reason) return reason;
    }
    return undefined;
  }
  if (type.isArray()) return unserialisableReason(type.getArrayElementTypeOrThrow(), at, seen);
  if (type.isTuple()) {
    for (const element of type.getTupleElements()) {
      const reason = unserialisableReason(element, at, seen);
      if (reason) return reason;
    }
    return undefined;
  }
  const symbolName = type.getSymbol()?.getName();
  if (symbolName === 'Date') return undefined;
  if (symbolName && NOT_SERIALISABLE.has(symbolName)) return `${symbolName} is not plain data`;
  if (type.getCallSignatures().length > 0) return 'functions cannot be stored';
  if (
    type.isClass() ||
    type
      .getSymbol()
      ?.getDeclarations()
      .some((d) => d.getKindName() === 'ClassDeclaration')
  ) {
    return `instances of class ${symbolName} lose their prototype when stored`;
  }
  if (type.isObject()) {
    for (const prop of type.getProperties()) {
      const reason = unserialisableReason(prop.getTypeAtLocation(at), at, seen);
      if (reason) return `property ${prop.getName()}: ${reason}`;
    }
  }
  return undefined;
}
