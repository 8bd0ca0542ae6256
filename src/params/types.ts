import type { InternalParamMode, ParamMode, ParamType } from '../model/enums.js';
import type { ParamDefinition } from '../model/param.js';

/**
 * Where a param's current definition came from (REFERENCE §3.1, meta `source`). Recorded on every merged and
 * evaluated param, so a user can see why a value is what it is.
 */
export const ParamSource = {
  SYSTEM: 'SYSTEM',
  TEMPLATE_SCHEMA: 'TEMPLATE_SCHEMA',
  SYSTEM_INJECTED: 'SYSTEM_INJECTED',
  SYSTEM_DEFAULT: 'SYSTEM_DEFAULT',
  DEFINITION: 'DEFINITION',
  SIGNAL: 'SIGNAL',
  TIME_TRIGGER: 'TIME_TRIGGER',
  OUTPUT_PARAMETER: 'OUTPUT_PARAMETER',
  LAUNCH: 'LAUNCH',
  RESTART: 'RESTART',
  SUBWORKFLOW: 'SUBWORKFLOW',
  TEMPLATE: 'TEMPLATE',
  FOREACH: 'FOREACH',
  WHILE: 'WHILE',
  WORKFLOW_PARAMETER: 'WORKFLOW_PARAMETER',
} as const;
export type ParamSource = (typeof ParamSource)[keyof typeof ParamSource];

/**
 * An evaluated param value. LONG is a `bigint` (64-bit, like Java's long), DOUBLE a `number`, so the JS type alone
 * tells LONG and DOUBLE apart; STRING_MAP is a map of strings; MAP a map of any values.
 */
export type ParamScalar = string | bigint | number | boolean;
export type ParamValue =
  | ParamScalar
  | readonly string[]
  | readonly bigint[]
  | readonly number[]
  | readonly boolean[]
  | ParamValueMap;
export interface ParamValueMap {
  readonly [key: string]: ParamValue | null;
}

/** A definition together with the layer it came from: what the merge functions take and return. */
export interface SourcedParam extends ParamDefinition {
  readonly source: ParamSource;
}
export interface SourcedParamMap {
  readonly [name: string]: SourcedParam;
}

/** A param after evaluation: its definition (kept for restarts), value, and where it came from. */
export interface EvaluatedParam {
  readonly name: string;
  readonly type: ParamType;
  readonly value: ParamValue;
  readonly mode: ParamMode;
  readonly source: ParamSource;
  readonly internal_mode?: InternalParamMode;
  /** The definition that produced the value (literal or expression). */
  readonly definition: ParamDefinition;
  /** Epoch ms of the evaluation, from the injected clock. */
  readonly evaluated_time: number;
}

/** Evaluated params by name, in definition order. */
export type EvaluatedParams = ReadonlyMap<string, EvaluatedParam>;
