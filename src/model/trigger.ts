import type { SignalOperator, TimeTriggerType } from './enums.js';
import type { JsonValue } from './json.js';
import type { ParamDefinition, ParamMap } from './param.js';

/** A cron (Unix 5-field or Quartz 6/7-field), predefined (`@daily`) or interval time trigger (REFERENCE §7.1). */
export interface TimeTrigger {
  readonly type: TimeTriggerType;
  readonly cron?: string;
  readonly expression?: string;
  readonly interval?: JsonValue;
  readonly start?: JsonValue;
  readonly timezone?: string;
  readonly fuzzy_max_delay?: string | number;
}

export interface SignalMatchValue {
  readonly value: string | number;
  readonly operator: SignalOperator;
}

export interface SignalTriggerEntry {
  readonly match_params?: { readonly [param: string]: SignalMatchValue };
  readonly join_keys?: readonly string[];
}

/** Starts the workflow when every named signal has arrived, matched and joined (REFERENCE §7.2). */
export interface SignalTrigger {
  readonly definitions: { readonly [signalName: string]: SignalTriggerEntry };
  readonly condition?: string;
  readonly dedup_expr?: string;
  readonly params?: ParamMap;
}

export interface SignalDependencyMatch {
  readonly param: ParamDefinition;
  readonly operator: SignalOperator;
}

/** A step waits in WAITING_FOR_SIGNALS until a matching signal exists (REFERENCE §7.3). */
export interface SignalDependency {
  readonly name: string;
  readonly match_params?: { readonly [param: string]: SignalDependencyMatch };
}

/** A signal a step announces when it finishes (REFERENCE §7.4). */
export interface SignalOutput {
  readonly name: string;
  readonly params?: ParamMap;
  readonly payload?: ParamMap;
}
