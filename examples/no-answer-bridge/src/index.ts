export { NoAnswerBridgeSbb } from './no-answer-bridge-sbb.js';
export { NoAnswerRuleProfile, NO_ANSWER_TABLE } from './no-answer-rule-profile.js';
