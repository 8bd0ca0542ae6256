/**
 * Every hard limit of the definition format in one table (REFERENCE §9). Validation reads the limits it is given,
 * so an operator can tighten or loosen them; these are Maestro's values.
 */
export interface Limits {
  readonly idLength: number;
  readonly nameLength: number;
  readonly fieldLength: number;
  readonly stepsPerList: number;
  readonly nestingDepth: number;
  readonly foreachConcurrency: number;
  readonly stepConcurrency: number;
  readonly workflowConcurrency: number;
  readonly instanceStepConcurrency: number;
  readonly retryLimit: number;
  readonly backoffSeconds: number;
  readonly timeoutSeconds: number;
  readonly paramsJsonChars: number;
  readonly requestBytes: number;
  readonly cronMinIntervalSeconds: number;
  readonly signalsPerTrigger: number;
  readonly loopIterations: number;
  /**
   * How deep lists and maps may nest: a definition counted from its root, a param value (a run param, a MAP
   * literal, an expression's result) counted from itself. Not Maestro's (Jackson allows 1000); chosen so that
   * parsing, validation and evaluation, which walk values recursively, stay far from the stack's end.
   */
  readonly valueDepth: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  idLength: 128,
  nameLength: 256,
  fieldLength: 16_384,
  stepsPerList: 300,
  nestingDepth: 10,
  foreachConcurrency: 500,
  stepConcurrency: 1000,
  workflowConcurrency: 1000,
  instanceStepConcurrency: 999,
  retryLimit: 99,
  backoffSeconds: 86_400,
  timeoutSeconds: 120 * 86_400,
  paramsJsonChars: 750_000,
  requestBytes: 256 * 1024,
  cronMinIntervalSeconds: 120,
  signalsPerTrigger: 8,
  loopIterations: 25_000,
  valueDepth: 128,
});

/** Defaults the engine applies when a definition leaves a value out. */
export const DEFAULTS = Object.freeze({
  workflowTimeoutSeconds: 10 * 86_400,
  stepTimeoutSeconds: 10 * 86_400,
  stepConcurrency: 20,
  parallelWorkflowConcurrency: 20,
  sleepSeconds: 3,
});

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return Object.freeze({ ...DEFAULT_LIMITS, ...overrides });
}
