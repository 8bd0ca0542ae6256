// The step runtime contract lives with the engine that calls it; runtimes here implement it.
export * from '../engine/step-runtime.js';
