import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import type { AttributeModel } from '../specification/attribute-model.js';
import type { QueryExpression } from './query-expression.js';
import { attributeOf } from '../specification/attribute-of.js';

function invalid(message: string, details: Record<string, unknown>): SleetError {
  return new SleetError(ErrorCode.PROFILE_QUERY_INVALID, message, { details });
}

/**
 * Checks a query against a spec: attributes exist and are comparable, and
 * longestPrefixMatch (which picks one row) appears at most once and only
 * where it narrows the whole result (top level or directly under `and`).
 */
export function checkQuery(spec: ProfileSpecificationModel, expr: QueryExpression): void {
  let prefixMatches = 0;
  const visit = (e: QueryExpression, lpmAllowed: boolean): void => {
    switch (e.op) {
      case 'and':
      case 'or':
        if (e.operands.length === 0) throw invalid(`'${e.op}' needs at least one operand`, { op: e.op });
        for (const o of e.operands) visit(o, lpmAllowed && e.op === 'and');
        return;
      case 'not':
        visit(e.operand, false);
        return;
      default: {
        const attr = comparableAttribute(spec, e.attribute);
        if ((e.op === 'hasPrefix' || e.op === 'longestPrefixMatch') && attr.kind !== 'string' && attr.kind !== 'enum') {
          throw invalid(`'${e.op}' needs a string attribute; '${e.attribute}' is ${attr.kind}`, { attribute: e.attribute, op: e.op });
        }
        if (e.op === 'longestPrefixMatch') {
          if (!lpmAllowed) throw invalid(`longestPrefixMatch on '${e.attribute}' may only appear at top level or under 'and'`, { attribute: e.attribute });
          prefixMatches += 1;
          if (prefixMatches > 1) throw invalid('a query may contain only one longestPrefixMatch', { attribute: e.attribute });
        }
      }
    }
  };
  visit(expr, true);
}

function comparableAttribute(spec: ProfileSpecificationModel, name: string): AttributeModel {
  const attr = attributeOf(spec, name);
  if (!attr) throw invalid(`spec ${spec.id} has no attribute '${name}'`, { attribute: name });
  if (attr.array || attr.kind === 'json') {
    throw invalid(`attribute '${name}' is ${attr.array ? 'an array' : 'JSON'} and cannot be queried`, { attribute: name });
  }
  return attr;
}
