import type { SelLimits } from './limits.js';
import type { SelParams } from './lib/params.js';
import type { SelArray, SelElemType, SelScalar, SelValue } from './values.js';
import type { SelInput } from './convert.js';

/** Time source, epoch milliseconds. Injected so tests and replays are deterministic. */
export interface Clock {
  now(): number;
}

/** What library functions may use of the running evaluation: limits, clock, randomness and params. */
export interface Runtime {
  readonly limits: SelLimits;
  readonly clock: Clock;
  readonly random: () => number;
  readonly params: SelParams;
  /**
   * Milliseconds left of the time limit (starting its count if this is the first look); a LIMIT_TIME error when
   * none are. Library functions that can run long in one call (regex searches) ask before each step.
   */
  timeLeftMs(): number;
  /** Counts `bytes` against the memory limit. */
  charge(bytes: number): void;
  /** A new array, checked against the array limit and charged 32 bytes per element (plus string sizes). */
  newArray(elem: SelElemType, items: SelScalar[]): SelArray;
  /** Boxes a caller-provided value (deep copy) and charges its size. */
  box(v: SelInput): SelValue;
}
