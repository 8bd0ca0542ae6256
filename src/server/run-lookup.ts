import type { LoadedRun } from '../engine/run-record.js';
import { NotFoundError } from '../model/errors.js';
import type { RunKey } from '../store/port.js';
import type { ApiDeps } from './api-deps.js';

/** A run named as the API names it: a number, or `latest` (the instance's newest run at the time of the request). */
export async function lookUpRun(
  deps: ApiDeps,
  workflowId: string,
  instanceId: number,
  run: string,
): Promise<LoadedRun> {
  let runId = Number(run);
  if (run === 'latest') {
    const latest = await deps.store.transact((tx) => tx.getLatestRun(workflowId, instanceId));
    if (!latest) throw new NotFoundError(`workflow '${workflowId}' has no instance ${instanceId}`);
    runId = latest.run_id;
  }
  const key: RunKey = { workflow_id: workflowId, instance_id: instanceId, run_id: runId };
  const loaded = await deps.engine.getRun(key);
  if (!loaded)
    throw new NotFoundError(`instance ${instanceId} of workflow '${workflowId}' has no run ${runId}`);
  return loaded;
}
