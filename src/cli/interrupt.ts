import type { Engine } from '../engine/engine.js';
import type { LoadedRun } from '../engine/run-record.js';
import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import type { RunKey } from '../store/port.js';
import type { Baton } from '../server/compose.js';
import type { Io } from './io.js';

/**
 * Waits for a run to end, or for the process to be asked to stop (Ctrl-C, SIGTERM) first: then answers with the run
 * as it stands, unfinished.
 */
export async function endOrInterrupt(
  engine: Engine,
  key: RunKey,
  stopSignal: Promise<unknown> | undefined,
): Promise<{ readonly ended: LoadedRun } | { readonly interrupted: LoadedRun }> {
  const stop = stopSignal?.then(() => 'stop' as const);
  const outcome = await Promise.race([engine.waitForEnd(key), ...(stop ? [stop] : [])]);
  if (outcome !== 'stop') return { ended: outcome };
  const loaded = await engine.getRun(key);
  if (loaded && WORKFLOW_INSTANCE_TRAITS[loaded.run.status].terminal) return { ended: loaded };
  return { interrupted: loaded! };
}

/**
 * Says what an interrupted command leaves behind: its unfinished run, the database it is in (a temporary one is
 * kept for it), and how to finish it.
 */
export function reportInterrupted(io: Io, command: string, { run }: LoadedRun, embedded: Baton): void {
  const key = `${run.workflow_id}/${run.instance_id}/${run.run_id}`;
  const db = /\s/.test(embedded.db) ? `'${embedded.db}'` : embedded.db;
  io.stderr(
    `baton ${command}: interrupted; run ${key} is left ${run.status} in ${embedded.db}` +
      `${embedded.temporary ? ' (a temporary database, kept for it)' : ''}\n` +
      `baton ${command}: to finish it, run: baton server --db ${db}  (it prints the run when it ends; then Ctrl-C)\n`,
  );
}
