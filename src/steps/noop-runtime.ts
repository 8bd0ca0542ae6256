import type { StepRuntime } from './runtime.js';

const DONE = Object.freeze({ state: 'done' as const });

/**
 * NoOp: finishes at once. It has no side effects, so it completes inline, inside the transition that starts it
 * (`execute` remains for a worker that is handed one, e.g. an item queued before an upgrade).
 */
export function createNoOpRuntime(): StepRuntime {
  return {
    execute: () => Promise.resolve(DONE),
    inline: () => DONE,
  };
}
