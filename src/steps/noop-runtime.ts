import type { StepRuntime } from './runtime.js';

/** NoOp: finishes at once. It has no side effects, so running it again after a crash is harmless. */
export function createNoOpRuntime(): StepRuntime {
  return {
    execute: () => Promise.resolve({ state: 'done' }),
  };
}
