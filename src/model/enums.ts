/**
 * The closed vocabularies of the definition format. Each is a frozen `as const` object plus a union type, so code
 * can dispatch on them exhaustively. Wire values are accepted in any case (Maestro lower-cases freely) and written
 * UPPERCASE, except step types, which are written as Maestro spells them (`NoOp`, `Sleep`, ...).
 */
export const StepType = {
  NoOp: 'NoOp',
  Sleep: 'Sleep',
  Titus: 'Titus',
  Notebook: 'Notebook',
  Kubernetes: 'Kubernetes',
  Http: 'Http',
  Join: 'Join',
  Shell: 'Shell',
  Sql: 'Sql',
  Container: 'Container',
} as const;
export type StepType = (typeof StepType)[keyof typeof StepType];

export const StepKind = {
  step: 'step',
  foreach: 'foreach',
  while: 'while',
  subworkflow: 'subworkflow',
  template: 'template',
} as const;
export type StepKind = (typeof StepKind)[keyof typeof StepKind];

export const ParamType = {
  STRING: 'STRING',
  LONG: 'LONG',
  DOUBLE: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  STRING_MAP: 'STRING_MAP',
  STRING_ARRAY: 'STRING_ARRAY',
  LONG_ARRAY: 'LONG_ARRAY',
  DOUBLE_ARRAY: 'DOUBLE_ARRAY',
  BOOLEAN_ARRAY: 'BOOLEAN_ARRAY',
  MAP: 'MAP',
} as const;
export type ParamType = (typeof ParamType)[keyof typeof ParamType];

export const ParamMode = {
  CONSTANT: 'CONSTANT',
  IMMUTABLE: 'IMMUTABLE',
  MUTABLE: 'MUTABLE',
  MUTABLE_ON_START: 'MUTABLE_ON_START',
  MUTABLE_ON_START_RESTART: 'MUTABLE_ON_START_RESTART',
} as const;
export type ParamMode = (typeof ParamMode)[keyof typeof ParamMode];

export const InternalParamMode = {
  REQUIRED: 'REQUIRED',
  OPTIONAL: 'OPTIONAL',
  PROVIDED: 'PROVIDED',
  RESERVED: 'RESERVED',
} as const;
export type InternalParamMode = (typeof InternalParamMode)[keyof typeof InternalParamMode];

export const FailureMode = {
  FAIL_IMMEDIATELY: 'FAIL_IMMEDIATELY',
  FAIL_AFTER_RUNNING: 'FAIL_AFTER_RUNNING',
  IGNORE_FAILURE: 'IGNORE_FAILURE',
} as const;
export type FailureMode = (typeof FailureMode)[keyof typeof FailureMode];

export const RunStrategyRule = {
  SEQUENTIAL: 'SEQUENTIAL',
  STRICT_SEQUENTIAL: 'STRICT_SEQUENTIAL',
  FIRST_ONLY: 'FIRST_ONLY',
  LAST_ONLY: 'LAST_ONLY',
  PARALLEL: 'PARALLEL',
  SERIAL_LATEST_ONLY: 'SERIAL_LATEST_ONLY',
} as const;
export type RunStrategyRule = (typeof RunStrategyRule)[keyof typeof RunStrategyRule];

export const Criticality = { CRITICAL: 'CRITICAL', HIGH: 'HIGH', MEDIUM: 'MEDIUM', LOW: 'LOW' } as const;
export type Criticality = (typeof Criticality)[keyof typeof Criticality];

export const TagNamespace = {
  SYSTEM: 'SYSTEM',
  RUNTIME: 'RUNTIME',
  JOB_TEMPLATE: 'JOB_TEMPLATE',
  NOTEBOOK_TEMPLATE: 'NOTEBOOK_TEMPLATE',
  USER_DEFINED: 'USER_DEFINED',
  PLATFORM: 'PLATFORM',
} as const;
export type TagNamespace = (typeof TagNamespace)[keyof typeof TagNamespace];

export const BackoffType = {
  EXPONENTIAL_BACKOFF: 'EXPONENTIAL_BACKOFF',
  FIXED_BACKOFF: 'FIXED_BACKOFF',
} as const;
export type BackoffType = (typeof BackoffType)[keyof typeof BackoffType];

export const TimeTriggerType = { CRON: 'CRON', PREDEFINED: 'PREDEFINED', INTERVAL: 'INTERVAL' } as const;
export type TimeTriggerType = (typeof TimeTriggerType)[keyof typeof TimeTriggerType];

export const SignalOperator = { EQ: '=', GT: '>', GTE: '>=', LT: '<', LTE: '<=' } as const;
export type SignalOperator = (typeof SignalOperator)[keyof typeof SignalOperator];

/** Step types that run as a single leaf job (counted by step concurrency); the rest are containers or gates. */
export const LEAF_STEP_TYPES: ReadonlySet<StepType> = new Set([
  'NoOp',
  'Sleep',
  'Titus',
  'Notebook',
  'Kubernetes',
  'Http',
  'Shell',
  'Sql',
  'Container',
]);

/** Finds the canonical member of a vocabulary for a wire value written in any case, or undefined. */
export function canonical<T extends string>(
  vocabulary: Readonly<Record<string, T>>,
  raw: unknown,
): T | undefined {
  if (typeof raw !== 'string') return undefined;
  const wanted = raw.toUpperCase();
  for (const value of Object.values(vocabulary)) if (value.toUpperCase() === wanted) return value;
  return undefined;
}
