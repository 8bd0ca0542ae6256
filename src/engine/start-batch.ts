import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../model/errors.js';
import type { RunRecord, StoreTx, WorkflowRecord } from '../store/port.js';
import { Batcher } from './batcher.js';
import type { AfterCommit } from './committer.js';
import { compareText } from './run-record.js';
import { arrivalOf } from './run-strategy.js';
import {
  freshRun,
  resolveVersion,
  type createRunStarter,
  type StarterDeps,
  type StartRequest,
  type StartResult,
} from './start-run.js';

/** Starts in one transaction at most. */
const START_BATCH = 100;

/**
 * Group commit for starts: a burst of starts costs one transaction, and the starts of one workflow in it a handful
 * of statements together (`startQueued`), not a handful each.
 */
export function startBatcher(
  starter: ReturnType<typeof createRunStarter>,
  deps: StarterDeps,
  transact: <T>(work: (tx: StoreTx, after: AfterCommit) => Promise<T>) => Promise<T>,
): Batcher<StartRequest, StartResult> {
  return new Batcher<StartRequest, StartResult>(
    (requests) =>
      transact(async (tx, after) => {
        // Workflows in one order (their instance counters are locked as they come): two processes' batches of
        // starts of the same workflows cannot deadlock.
        const order = requests.map((_, i) => i);
        order.sort((a, b) => compareText(requests[a]!.workflow_id, requests[b]!.workflow_id) || a - b);
        const out: StartResult[] = new Array<StartResult>(requests.length);
        for (let from = 0; from < order.length;) {
          const workflowId = requests[order[from]!]!.workflow_id;
          let to = from + 1;
          while (to < order.length && requests[order[to]!]!.workflow_id === workflowId) to++;
          const group = order.slice(from, to);
          from = to;
          const workflow = await tx.getWorkflow(workflowId);
          if (!workflow) throw new NotFoundError(`workflow '${workflowId}' does not exist`);
          if (group.length > 1 && arrivalOf(workflow.properties).kind === 'queue') {
            const results = await startQueued(
              deps,
              tx,
              workflow,
              group.map((i) => requests[i]!),
              after,
            );
            group.forEach((i, n) => (out[i] = results[n]!));
          } else {
            // A rule that stops runs on arrival (FIRST_ONLY, LAST_ONLY, SERIAL_LATEST_ONLY) sees each start in turn.
            for (const i of group) out[i] = await starter.start(tx, requests[i]!, after, workflow);
          }
        }
        return out;
      }),
    START_BATCH,
  );
}

/**
 * Starts of one workflow whose run strategy only queues new runs: their request ids looked up at once, their
 * instance ids taken at once, the runs inserted in one statement, and one admission asked for all of them. A request
 * id already stored, or repeated in the batch, answers DUPLICATED with the run it started.
 */
async function startQueued(
  deps: StarterDeps,
  tx: StoreTx,
  workflow: WorkflowRecord,
  requests: readonly StartRequest[],
  after: AfterCommit,
): Promise<StartResult[]> {
  const workflowId = workflow.workflow_id;
  const ids = requests.map((r) => r.request_id ?? randomUUID());
  // Every request's version is checked, as a start alone would (a bad one fails the batch, which then goes one by one).
  const versions = requests.map((r) =>
    resolveVersion(
      r.version ?? 'default',
      workflow.latest_version_id,
      workflow.active_version_id,
      workflowId,
    ),
  );
  // The instance counter is locked before the request ids are looked up: a process that stored some of them
  // meanwhile has committed by then, so no id is reserved for a run that will not be inserted (no gap in the ids).
  await tx.nextInstanceId(workflowId, 0);
  const stored = new Map((await tx.findRunsByRequestIds(workflowId, ids)).map((r) => [r.request_id, r]));
  const fresh: number[] = [];
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (!stored.has(id) && !seen.has(id)) fresh.push(i);
    seen.add(id);
  });
  const made = new Map<string, StartResult>();
  if (fresh.length > 0) {
    const now = deps.clock.now();
    const first = await tx.nextInstanceId(workflowId, fresh.length);
    const runs = [];
    for (const [n, i] of fresh.entries())
      runs.push(
        (await freshRun(deps, tx, workflow, requests[i]!, versions[i]!, first + n, ids[i]!, now)).run,
      );
    const inserted = await tx.insertRuns(runs);
    let asker: RunRecord | undefined;
    for (const [n, i] of fresh.entries()) {
      const run = inserted[n];
      if (run) {
        made.set(ids[i]!, { status: 'CREATED', run });
        asker = run;
        continue;
      }
      // Another process stored this request id after the look-up above.
      const again = await tx.findRunByRequestId(workflowId, ids[i]!);
      if (!again) throw new Error(`run ${runs[n]!.correlation_id} could not be stored`);
      made.set(ids[i]!, { status: 'DUPLICATED', run: again });
    }
    if (asker) await deps.requestAdmission(tx, asker, after);
  }
  const starters = new Set(fresh);
  return ids.map((id, n) => {
    const first = made.get(id);
    // the first request of a new id started the run; any other is a duplicate of what the id stands for
    if (first && starters.has(n)) return first;
    return { status: 'DUPLICATED', run: first?.run ?? stored.get(id)! };
  });
}
