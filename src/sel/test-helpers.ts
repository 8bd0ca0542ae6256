// Shared helpers for the SEL unit tests (not part of the public API).
import { evaluateSel, parseSel, type EvaluateOptions } from './index.js';
import { SelError } from './errors.js';
import { display } from './convert.js';
import { typeOf, type SelResult } from './values.js';

export const FIXED_CLOCK = { now: () => 1_600_000_000_000 };

export function run(source: string, options: EvaluateOptions = {}): SelResult {
  return evaluateSel(parseSel(source), { clock: FIXED_CLOCK, ...options });
}

/** `TYPE: value`, the way Maestro's tests print results. */
export function show(source: string, options: EvaluateOptions = {}): string {
  const r = run(source, options);
  return `${typeOf(r)}: ${display(r)}`;
}

/** The SelError a source fails with (the test fails if it does not fail). */
export function failure(source: string, options: EvaluateOptions = {}): SelError {
  try {
    run(source, options);
  } catch (err) {
    if (err instanceof SelError) return err;
    throw err;
  }
  throw new Error(`expected ${source} to fail`);
}
