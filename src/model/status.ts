/**
 * Instance and step status machines as data (REFERENCE §4.3). Later code dispatches on these tables rather than
 * on scattered `if`s, and a status added here without its traits and actions is a compile error.
 */

export const WorkflowInstanceStatus = {
  CREATED: 'CREATED',
  IN_PROGRESS: 'IN_PROGRESS',
  PAUSED: 'PAUSED',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  STOPPED: 'STOPPED',
  TIMED_OUT: 'TIMED_OUT',
} as const;
export type WorkflowInstanceStatus = (typeof WorkflowInstanceStatus)[keyof typeof WorkflowInstanceStatus];

export const WorkflowInstanceAction = {
  STOP: 'STOP',
  KILL: 'KILL',
  RESTART: 'RESTART',
  UNBLOCK: 'UNBLOCK',
} as const;
export type WorkflowInstanceAction = (typeof WorkflowInstanceAction)[keyof typeof WorkflowInstanceAction];

export interface WorkflowInstanceTraits {
  readonly terminal: boolean;
  readonly actions: readonly WorkflowInstanceAction[];
}

export const WORKFLOW_INSTANCE_TRAITS: Readonly<Record<WorkflowInstanceStatus, WorkflowInstanceTraits>> = {
  CREATED: { terminal: false, actions: ['STOP', 'KILL'] },
  IN_PROGRESS: { terminal: false, actions: ['STOP', 'KILL'] },
  PAUSED: { terminal: false, actions: ['STOP', 'KILL'] },
  SUCCEEDED: { terminal: true, actions: ['RESTART'] },
  FAILED: { terminal: true, actions: ['RESTART', 'UNBLOCK'] },
  STOPPED: { terminal: true, actions: ['RESTART'] },
  TIMED_OUT: { terminal: true, actions: ['RESTART'] },
};

export const StepInstanceStatus = {
  NOT_CREATED: 'NOT_CREATED',
  CREATED: 'CREATED',
  INITIALIZED: 'INITIALIZED',
  PAUSED: 'PAUSED',
  WAITING_FOR_SIGNALS: 'WAITING_FOR_SIGNALS',
  EVALUATING_PARAMS: 'EVALUATING_PARAMS',
  WAITING_FOR_PERMITS: 'WAITING_FOR_PERMITS',
  STARTING: 'STARTING',
  RUNNING: 'RUNNING',
  FINISHING: 'FINISHING',
  DISABLED: 'DISABLED',
  UNSATISFIED: 'UNSATISFIED',
  SKIPPED: 'SKIPPED',
  SUCCEEDED: 'SUCCEEDED',
  COMPLETED_WITH_ERROR: 'COMPLETED_WITH_ERROR',
  USER_FAILED: 'USER_FAILED',
  PLATFORM_FAILED: 'PLATFORM_FAILED',
  TIMEOUT_FAILED: 'TIMEOUT_FAILED',
  FATALLY_FAILED: 'FATALLY_FAILED',
  INTERNALLY_FAILED: 'INTERNALLY_FAILED',
  STOPPED: 'STOPPED',
  TIMED_OUT: 'TIMED_OUT',
} as const;
export type StepInstanceStatus = (typeof StepInstanceStatus)[keyof typeof StepInstanceStatus];

export const StepInstanceAction = {
  PAUSE: 'PAUSE',
  RESUME: 'RESUME',
  STOP: 'STOP',
  KILL: 'KILL',
  SKIP: 'SKIP',
  BYPASS_STEP_DEPENDENCIES: 'BYPASS_STEP_DEPENDENCIES',
  RESTART: 'RESTART',
} as const;
export type StepInstanceAction = (typeof StepInstanceAction)[keyof typeof StepInstanceAction];

/**
 * terminal: the attempt is over. complete: over and counts as done for the DAG (downstream may run).
 * retryable: a new attempt may follow under the retry policy. overview: shown with references in rollups.
 */
export interface StepStatusTraits {
  readonly terminal: boolean;
  readonly complete: boolean;
  readonly retryable: boolean;
  readonly overview: boolean;
  readonly actions: readonly StepInstanceAction[];
}

const RUNNING_ACTIONS: readonly StepInstanceAction[] = ['STOP', 'KILL', 'SKIP'];
const DONE_ACTIONS: readonly StepInstanceAction[] = ['RESTART', 'SKIP'];

export const STEP_STATUS_TRAITS: Readonly<Record<StepInstanceStatus, StepStatusTraits>> = {
  NOT_CREATED: { terminal: false, complete: false, retryable: false, overview: true, actions: [] },
  CREATED: {
    terminal: false,
    complete: false,
    retryable: false,
    overview: false,
    actions: ['PAUSE', 'STOP', 'KILL'],
  },
  INITIALIZED: {
    terminal: false,
    complete: false,
    retryable: false,
    overview: false,
    actions: ['PAUSE', 'STOP', 'KILL', 'SKIP'],
  },
  PAUSED: {
    terminal: false,
    complete: false,
    retryable: false,
    overview: true,
    actions: ['RESUME', 'STOP', 'KILL', 'SKIP'],
  },
  WAITING_FOR_SIGNALS: {
    terminal: false,
    complete: false,
    retryable: false,
    overview: true,
    actions: ['STOP', 'KILL', 'SKIP', 'BYPASS_STEP_DEPENDENCIES'],
  },
  EVALUATING_PARAMS: {
    terminal: false,
    complete: false,
    retryable: false,
    overview: false,
    actions: RUNNING_ACTIONS,
  },
  WAITING_FOR_PERMITS: {
    terminal: false,
    complete: false,
    retryable: false,
    overview: true,
    actions: RUNNING_ACTIONS,
  },
  STARTING: { terminal: false, complete: false, retryable: false, overview: true, actions: RUNNING_ACTIONS },
  RUNNING: { terminal: false, complete: false, retryable: false, overview: true, actions: RUNNING_ACTIONS },
  FINISHING: { terminal: false, complete: false, retryable: false, overview: true, actions: RUNNING_ACTIONS },
  DISABLED: { terminal: true, complete: true, retryable: false, overview: false, actions: ['RESTART'] },
  UNSATISFIED: { terminal: true, complete: true, retryable: false, overview: false, actions: ['RESTART'] },
  SKIPPED: { terminal: true, complete: true, retryable: false, overview: false, actions: DONE_ACTIONS },
  SUCCEEDED: { terminal: true, complete: true, retryable: false, overview: false, actions: DONE_ACTIONS },
  COMPLETED_WITH_ERROR: {
    terminal: true,
    complete: true,
    retryable: false,
    overview: false,
    actions: DONE_ACTIONS,
  },
  USER_FAILED: { terminal: true, complete: false, retryable: true, overview: true, actions: RUNNING_ACTIONS },
  PLATFORM_FAILED: {
    terminal: true,
    complete: false,
    retryable: true,
    overview: true,
    actions: RUNNING_ACTIONS,
  },
  TIMEOUT_FAILED: {
    terminal: true,
    complete: false,
    retryable: true,
    overview: true,
    actions: RUNNING_ACTIONS,
  },
  FATALLY_FAILED: {
    terminal: true,
    complete: false,
    retryable: false,
    overview: true,
    actions: DONE_ACTIONS,
  },
  INTERNALLY_FAILED: {
    terminal: true,
    complete: false,
    retryable: false,
    overview: true,
    actions: DONE_ACTIONS,
  },
  STOPPED: { terminal: true, complete: false, retryable: false, overview: true, actions: DONE_ACTIONS },
  TIMED_OUT: { terminal: true, complete: false, retryable: false, overview: true, actions: DONE_ACTIONS },
};

/** The status a step action leads to (REFERENCE §4.3, "Action → resulting status"). */
export const STEP_ACTION_RESULT: Readonly<Record<StepInstanceAction, StepInstanceStatus>> = {
  PAUSE: 'PAUSED',
  RESUME: 'WAITING_FOR_SIGNALS',
  BYPASS_STEP_DEPENDENCIES: 'EVALUATING_PARAMS',
  STOP: 'STOPPED',
  KILL: 'FATALLY_FAILED',
  SKIP: 'SKIPPED',
  RESTART: 'CREATED',
};

/** Status → allowed actions, in the shape of Maestro's `action-map` endpoints. */
export function workflowInstanceActionMap(): Record<
  WorkflowInstanceStatus,
  readonly WorkflowInstanceAction[]
> {
  return mapValues(WORKFLOW_INSTANCE_TRAITS, (t) => t.actions);
}

export function stepInstanceActionMap(): Record<StepInstanceStatus, readonly StepInstanceAction[]> {
  return mapValues(STEP_STATUS_TRAITS, (t) => t.actions);
}

function mapValues<K extends string, V, R>(table: Readonly<Record<K, V>>, f: (v: V) => R): Record<K, R> {
  const out = {} as Record<K, R>;
  for (const key of Object.keys(table) as K[]) out[key] = f(table[key]);
  return out;
}
