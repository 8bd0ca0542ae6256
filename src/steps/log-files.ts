import type { StepType } from '../model/enums.js';

/**
 * The log files each step type's runtime writes in its attempt's folder (`StepContext.log_dir`, docs/steps.md
 * "Logs"), by stream name. A record over every type, so a runtime that starts writing logs must say so here.
 */
export const STEP_LOG_FILES: Readonly<Record<StepType, Readonly<Partial<Record<LogStream, string>>>>> = {
  Shell: { stdout: 'stdout.log', stderr: 'stderr.log' },
  NoOp: {},
  Sleep: {},
  Titus: {},
  Notebook: {},
  Kubernetes: {},
  Http: {},
  Join: {},
  Sql: {},
  Container: {},
};

export const LOG_STREAMS = ['stdout', 'stderr'] as const;
export type LogStream = (typeof LOG_STREAMS)[number];
