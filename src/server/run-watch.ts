import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import { runKeyString, type LoadedRun } from '../engine/run-record.js';
import type { RunKey, Store } from '../store/port.js';

export interface RunWatchDeps {
  readonly engine: Engine;
  readonly store: Store;
  readonly clock: Clock;
}

export interface RunWatchOptions {
  /** How often to read the run's version for changes other processes write; 0: never. */
  readonly pollMs: number;
}

export interface RunWatchHandlers {
  onRun(loaded: LoadedRun): void;
  /** A read failed (the store closed): the watch has stopped. */
  onError(error: unknown): void;
}

export interface RunWatcher {
  /** Stops listening and polling; idempotent. */
  stop(): void;
}

/**
 * Calls `handlers.onRun` with each newer version of one run, oldest first, never the same version twice: at once for the
 * versions this process's engine commits (`onRunChange`), and within `pollMs` for those another process sharing the
 * database writes (the run row's `version` is read; the steps only when it moved). Versions between two reads are
 * not seen one by one: the newest is given. Holds one listener and at most one timer or read at a time.
 */
export function watchRun(
  deps: RunWatchDeps,
  options: RunWatchOptions,
  key: RunKey,
  fromVersion: number,
  handlers: RunWatchHandlers,
): RunWatcher {
  const id = runKeyString(key);
  let seen = fromVersion;
  let stopped = false;
  let cancelTimer: (() => void) | undefined;
  const deliver = (loaded: LoadedRun): void => {
    if (stopped || loaded.run.version <= seen) return;
    seen = loaded.run.version;
    handlers.onRun(loaded);
  };
  const off = deps.engine.onRunChange((loaded) => {
    if (runKeyString(loaded.run) !== id) return;
    // The engine calls listeners right after its commit: nothing thrown here may reach it.
    try {
      deliver(loaded);
    } catch (error) {
      fail(error);
    }
  });
  const watcher: RunWatcher = {
    stop() {
      stopped = true;
      off();
      cancelTimer?.();
      cancelTimer = undefined;
    },
  };
  const poll = async (): Promise<void> => {
    const run = await deps.store.transact((tx) => tx.getRun(key));
    if (stopped || run === undefined || run.version <= seen) return;
    const loaded = await deps.engine.getRun(key);
    if (loaded) deliver(loaded);
  };
  function fail(error: unknown): void {
    if (stopped) return;
    watcher.stop();
    handlers.onError(error);
  }
  const tick = (): void => {
    poll().then(schedule, fail);
  };
  function schedule(): void {
    if (stopped || options.pollMs <= 0) return;
    cancelTimer = deps.clock.setTimer(options.pollMs, () => {
      cancelTimer = undefined;
      tick();
    });
  }
  // One read at once: a version committed between the caller's read and the listener's start is not missed.
  tick();
  return watcher;
}
