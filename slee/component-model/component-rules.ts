import type { InitialEventSelectVariable } from './initial-event-select.js';

/**
 * The rules a component must keep, each with a stable code. The runtime
 * scanner (on the decorators' metadata) and the SDK's analyser (on the
 * source, before anything runs) both check them with the functions below,
 * so a project the SDK passes is not refused at deployment for the same
 * reason, and a refusal names the same rule either way.
 */
export const ComponentRule = {
  SERVICE_PRIORITY: 'SLEET_RULE_SERVICE_PRIORITY',
  ROOT_WITHOUT_INITIAL_EVENT: 'SLEET_RULE_ROOT_WITHOUT_INITIAL_EVENT',
  SERVICE_NOT_SBB: 'SLEET_RULE_SERVICE_NOT_SBB',
  UNKNOWN_SHORT_NAME: 'SLEET_RULE_UNKNOWN_SHORT_NAME',
  AMBIGUOUS_SHORT_NAME: 'SLEET_RULE_AMBIGUOUS_SHORT_NAME',
  INITIAL_WITHOUT_HANDLER: 'SLEET_RULE_INITIAL_WITHOUT_HANDLER',
  SELECT_VARIABLE: 'SLEET_RULE_SELECT_VARIABLE',
  EMPTY_SELECTION: 'SLEET_RULE_EMPTY_SELECTION',
  MISSING_SELECTOR: 'SLEET_RULE_MISSING_SELECTOR',
  CMP_NOT_SERIALISABLE: 'SLEET_RULE_CMP_NOT_SERIALISABLE',
} as const;

export type ComponentRuleCode = (typeof ComponentRule)[keyof typeof ComponentRule];

export interface RuleViolation {
  readonly rule: ComponentRuleCode;
  readonly message: string;
}

const SELECT_VARIABLES: readonly InitialEventSelectVariable[] = ['ActivityContext', 'Address', 'AddressProfile', 'EventType', 'Event'];

const violation = (rule: ComponentRuleCode, message: string): RuleViolation => ({ rule, message });

/** JSLEE's priority range, -128..127. */
export function servicePriorityViolation(priority: unknown): RuleViolation | undefined {
  if (typeof priority === 'number' && Number.isInteger(priority) && priority >= -128 && priority <= 127) return undefined;
  return violation(ComponentRule.SERVICE_PRIORITY, `service priority ${String(priority)} must be an integer in -128..127`);
}

export function serviceNotSbbViolation(className: string): RuleViolation {
  return violation(ComponentRule.SERVICE_NOT_SBB, `${className} has @Service but is not an SBB: add @Sbb() to the class`);
}

/** A service's root must take some event as initial, or nothing ever creates its entities. */
export function rootInitialEventViolation(className: string, hasInitialEvent: boolean): RuleViolation | undefined {
  if (hasInitialEvent) return undefined;
  return violation(
    ComponentRule.ROOT_WITHOUT_INITIAL_EVENT,
    `service root ${className} declares no @InitialEvent handler, so no event can create its entities; add @InitialEvent() to a handler`,
  );
}

/** The short name a method handles by convention (`onInvite` → `Invite`), or undefined for other methods. */
export function handlerShortName(method: string): string | undefined {
  return /^on[A-Z]/.test(method) ? method.slice(2) : undefined;
}

/**
 * The one event type with a handler's short name, or why there is none: no
 * such short name (`hint` says what the caller knows of the alternatives), or several.
 */
export function matchShortName<T extends { readonly name: string }>(
  method: string,
  candidates: readonly T[],
  hint: string,
): { type: T } | { violation: RuleViolation } {
  const short = method.slice(2);
  if (candidates.length === 1) return { type: candidates[0]! };
  if (candidates.length === 0) {
    return { violation: violation(ComponentRule.UNKNOWN_SHORT_NAME, `handler ${method}: no known event type has the short name '${short}'; ${hint}`) };
  }
  return {
    violation: violation(
      ComponentRule.AMBIGUOUS_SHORT_NAME,
      `handler ${method}: '${short}' is ambiguous (${candidates.map((c) => c.name).join(', ')}); use @EventHandler(type)`,
    ),
  };
}

export function initialWithoutHandlerViolation(method: string): RuleViolation {
  return violation(
    ComponentRule.INITIAL_WITHOUT_HANDLER,
    `@InitialEvent on ${method}, which handles no event type: name it on<Short> or add @EventHandler(type)`,
  );
}

/** What `@InitialEvent({ select, selector })` must be: known variables, at least one of them or a selector, a selector that exists. */
export function selectionViolations(
  initial: { select?: readonly string[] | undefined; selector?: string | undefined },
  hasMethod: (name: string) => boolean,
): RuleViolation[] {
  const found: RuleViolation[] = [];
  for (const v of initial.select ?? []) {
    if (!(SELECT_VARIABLES as readonly string[]).includes(v)) {
      found.push(violation(ComponentRule.SELECT_VARIABLE, `@InitialEvent select variable '${v}' is not one of ${SELECT_VARIABLES.join(', ')}`));
    }
  }
  if (initial.select !== undefined && initial.select.length === 0 && initial.selector === undefined) {
    found.push(violation(ComponentRule.EMPTY_SELECTION, '@InitialEvent needs at least one select variable or a selector method'));
  }
  if (initial.selector !== undefined && !hasMethod(initial.selector)) {
    found.push(
      violation(
        ComponentRule.MISSING_SELECTOR,
        `@InitialEvent selector method '${initial.selector}' does not exist; add a method ${initial.selector}(selector: InitialEventSelector): InitialEventSelector`,
      ),
    );
  }
  return found;
}

/** A CMP field holds structured-cloneable plain data only. */
export function cmpViolation(field: string, typeName: string, reason: string): RuleViolation {
  return violation(
    ComponentRule.CMP_NOT_SERIALISABLE,
    `CMP field ${field} has type '${typeName}', which is not serialisable (${reason}); use string, number, boolean, bigint, Date, arrays or plain objects`,
  );
}
