export { CallForwardingSbb } from './call-forwarding-sbb.js';
export { ForwardingRuleProfile, FORWARDING_TABLE, targetOnFailure, type ForwardingRules } from './forwarding-rule-profile.js';
export { Forwarder } from './forwarder.js';
export { DiversionChain, MAX_DIVERSIONS, diversionHeader, type DiversionReason } from './diversion-chain.js';
export { forwardingTargets } from './forwarding-targets.js';
