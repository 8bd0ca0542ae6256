import type { StepRuntime } from './runtime.js';

/**
 * Stands in for a step type that has no runtime yet. `available: false` lets the engine fail such steps as
 * INTERNALLY_FAILED without calling it; if it is called anyway it answers `fatal_error` (retrying cannot help), so a
 * workflow that uses the type never reports a silent success.
 */
export function createUnavailableRuntime(): StepRuntime {
  return {
    available: false,
    execute: (context) =>
      Promise.resolve({ state: 'fatal_error', message: `step type ${context.type} is not available` }),
  };
}
