import type { StoreTx } from '../store/port.js';
import { Batcher } from './batcher.js';
import type { AfterCommit } from './committer.js';
import type { StarterDeps, StartRequest, StartResult } from './start-run.js';
import { startRuns } from './start-runs.js';

/** Starts in one transaction at most. */
const START_BATCH = 512;

/**
 * Group commit for starts: a burst of starts, of any workflows, costs one transaction of a handful of statements
 * (`startRuns`), not a handful each. A batch that fails (one bad request) is tried again one start at a time.
 */
export function startBatcher(
  deps: StarterDeps,
  transact: <T>(work: (tx: StoreTx, after: AfterCommit) => Promise<T>) => Promise<T>,
): Batcher<StartRequest, StartResult> {
  return new Batcher<StartRequest, StartResult>(
    (requests) => transact((tx, after) => startRuns(deps, tx, requests, after)),
    START_BATCH,
  );
}
