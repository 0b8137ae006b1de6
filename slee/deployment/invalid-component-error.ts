import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ComponentRuleCode } from '../component-model/component-rules.js';

/** One reason a component is refused: the rule it breaks, when it is one the SDK checks too. */
export interface ComponentProblem {
  readonly rule?: ComponentRuleCode;
  readonly message: string;
}

/** INVALID_COMPONENT with every reason at once: `details` their messages, `problems` with their rules. */
export class InvalidComponentError extends SleetError {
  constructor(
    what: string,
    readonly problems: readonly ComponentProblem[],
  ) {
    const messages = problems.map((p) => p.message);
    super(ErrorCode.INVALID_COMPONENT, `${what} is invalid:\n  - ${messages.join('\n  - ')}`, { details: messages });
  }
}
