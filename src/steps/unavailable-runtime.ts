import type { StepRuntime } from './runtime.js';

/**
 * Stands in for a step type that has no runtime yet. It fails with `fatal_error` (retrying cannot help, and the engine
 * maps it to INTERNALLY_FAILED) so a workflow that uses the type never reports a silent success.
 */
export function createUnavailableRuntime(): StepRuntime {
  return {
    execute: (context) =>
      Promise.resolve({ state: 'fatal_error', message: `step type ${context.type} is not available` }),
  };
}
