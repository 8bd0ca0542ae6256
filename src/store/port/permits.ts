import type { RunKey } from './runs.js';

/** Permits: step concurrency, instance step concurrency and tag permits. */
export interface PermitTx {
  /**
   * Takes one permit of every key for `holder`, all or none. When any key is full, nothing is taken and the
   * holder waits in line on all its keys (first come, first served) until `grantWaiting` lets it in.
   */
  acquirePermits(holder: PermitHolder, permits: readonly PermitRequest[], now: number): Promise<boolean>;
  /**
   * How many permits of each key are held, and whether anyone waits in line for it. Until this transaction ends,
   * nobody else can change those keys' permits (nor get in line for them).
   */
  permitState(keys: readonly string[]): Promise<Record<string, { held: number; waiting: boolean }>>;
  /**
   * Puts holders in line for their permits, behind everyone already waiting, without looking for room:
   * `grantWaiting` on their keys lets them in when there is. A holder that already held or waited gives that up
   * first; returns the keys it held, as `releasePermits` does.
   */
  queueForPermits(holds: readonly PermitHold[], now: number): Promise<string[]>;
  /** Takes permits the callers have seen to be free in this same transaction (see `permitState`). */
  holdPermits(holds: readonly PermitHold[], now: number): Promise<void>;
  /**
   * Gives back everything these holders hold or wait for; returns every key they held or waited for (each once), so
   * `grantWaiting` can let in whoever was behind them (a waiter that leaves may have been holding up the line).
   */
  releasePermits(holders: readonly PermitHolder[]): Promise<string[]>;
  /** Lets in waiting holders of these keys, oldest first, while all their keys have room; returns who got in. */
  grantWaiting(keys: readonly string[]): Promise<PermitHolder[]>;
  /** User-defined tag permits (`POST /tag-permits`): how many steps carrying the tag may run at once. */
  setTagPermit(tag: string, maxAllowed: number): Promise<void>;
  getTagPermits(tags: readonly string[]): Promise<{ tag: string; max_allowed: number }[]>;
}

/** A step attempt that holds or waits for permits. */
export interface PermitHolder extends RunKey {
  readonly step_id: string;
  readonly attempt: number;
}

export interface PermitRequest {
  readonly key: string;
  readonly limit: number;
}

export interface PermitHold {
  readonly holder: PermitHolder;
  readonly permits: readonly PermitRequest[];
}
