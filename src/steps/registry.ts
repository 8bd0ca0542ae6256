import { createNoOpRuntime } from './noop-runtime.js';
import type { StepRuntimes } from './runtime.js';
import type { ShellRuntimeDeps, ShellRuntimeOptions } from './shell-runtime.js';
import { createShellRuntime } from './shell-runtime.js';
import { createSleepRuntime } from './sleep-runtime.js';
import { createUnavailableRuntime } from './unavailable-runtime.js';

export type StepRuntimesDeps = ShellRuntimeDeps;

export interface StepRuntimesOptions {
  readonly shell?: ShellRuntimeOptions;
}

/**
 * The runtime for every step type. `StepRuntimes` is a record over all of them, so adding a step type without
 * deciding what runs it is a compile error; types without a runtime yet fail their steps loudly.
 *
 * @example
 * const runtimes = createStepRuntimes({ env: process.env }, { shell: { killGraceMs: 2000 } });
 */
export function createStepRuntimes(
  deps: StepRuntimesDeps = {},
  options: StepRuntimesOptions = {},
): StepRuntimes {
  const unavailable = createUnavailableRuntime();
  return Object.freeze({
    NoOp: createNoOpRuntime(),
    Sleep: createSleepRuntime(),
    Shell: createShellRuntime(deps, options.shell),
    Titus: unavailable,
    Notebook: unavailable,
    Kubernetes: unavailable,
    Http: unavailable,
    Join: unavailable,
    Sql: unavailable,
    Container: unavailable,
  });
}
