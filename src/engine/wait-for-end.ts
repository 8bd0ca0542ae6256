import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import type { RunKey } from '../store/port.js';
import type { Clock } from './clock.js';
import { runKeyString, type LoadedRun } from './run-record.js';

export interface WaitDeps {
  readonly clock: Clock;
  /** How often to read the run when no change of it is heard (another process writes it); 0: never. */
  readonly pollMs: number;
  onRunChange(listener: (loaded: LoadedRun) => void): () => void;
  getRun(key: RunKey, onlyIfEnded: boolean): Promise<LoadedRun | undefined>;
}

/**
 * Resolves when the run reaches a terminal status: at once when the engine writes it (`onRunChange`), and within
 * `pollMs` when another process does.
 */
export function waitForEnd(deps: WaitDeps, key: RunKey): Promise<LoadedRun> {
  return new Promise((resolve, reject) => {
    const id = runKeyString(key);
    let cancelPoll: (() => void) | undefined;
    const done = (loaded: LoadedRun): void => {
      off();
      cancelPoll?.();
      resolve(loaded);
    };
    const off = deps.onRunChange((loaded) => {
      if (runKeyString(loaded.run) === id && WORKFLOW_INSTANCE_TRAITS[loaded.run.status].terminal)
        done(loaded);
    });
    const check = (): void => {
      cancelPoll = undefined;
      deps.getRun(key, true).then(
        (loaded) => {
          if (loaded && WORKFLOW_INSTANCE_TRAITS[loaded.run.status].terminal) done(loaded);
          else if (deps.pollMs > 0) cancelPoll = deps.clock.setTimer(deps.pollMs, check);
        },
        (error: unknown) => {
          off();
          reject(error);
        },
      );
    };
    check();
  });
}
