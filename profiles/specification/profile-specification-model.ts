import type { AttributeModel } from './attribute-model.js';
import type { QueryExpression } from '../query/query-expression.js';

/** The runtime model of a profile specification, read from decorators by `scanProfileSpecification`. */
export interface ProfileSpecificationModel {
  readonly name: string;
  readonly vendor: string;
  readonly version: string;
  /** `vendor:name:version`, the JSLEE component identity. */
  readonly id: string;
  /** SBBs may change profiles of this spec inside their transactions. */
  readonly writable: boolean;
  readonly attributes: readonly AttributeModel[];
  readonly addressAttribute?: string;
  readonly queries: Readonly<Record<string, QueryExpression>>;
}
