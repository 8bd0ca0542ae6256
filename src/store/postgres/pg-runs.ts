import { ConflictError } from '../../model/errors.js';
import type { JsonObject } from '../../model/json.js';
import type { WorkflowInstanceStatus } from '../../model/status.js';
import type {
  Breakpoint,
  NewRun,
  RequestKey,
  RunKey,
  RunRecord,
  RunWrite,
  StepRecord,
  WorkflowRules,
} from '../port.js';
import {
  keyOf,
  lastOfEachStep,
  propertiesFromText,
  runName,
  runRecordOf,
  runWriteError,
  toRun,
  type RunRow,
} from '../records.js';
import type { Query } from './query.js';

// The batch forms of the run and step statements: one round trip for a whole batch of starts or transitions,
// where the single forms would cost one per run; and the rules of a transition read in one.

const keyText = (k: RunKey) => `${k.workflow_id}\u0000${k.instance_id}\u0000${k.run_id}`;

export async function insertRuns(
  q: Query,
  runs: readonly NewRun[],
  modifyTime: number,
): Promise<(RunRecord | undefined)[]> {
  if (runs.length === 0) return [];
  let rows: RunKey[];
  try {
    ({ rows } = await q<RunKey>('insertRuns', [
      runs.map((r) => r.workflow_id),
      runs.map((r) => r.instance_id),
      runs.map((r) => r.run_id),
      runs.map((r) => r.version_id),
      runs.map((r) => r.request_id),
      runs.map((r) => r.status),
      runs.map((r) => r.correlation_id),
      runs.map((r) => JSON.stringify(r.initiator)),
      runs.map((r) => JSON.stringify(r.state)),
      runs.map((r) => r.create_time),
      modifyTime,
      runs.map((r) => (r.parent === undefined ? null : JSON.stringify(r.parent))),
    ]));
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'run_pkey') {
      const [first] = runs;
      throw runs.length === 1
        ? new ConflictError(`run ${runName(first!)} already exists`, { details: keyOf(first!), cause: error })
        : new ConflictError(`a run of these ${runs.length} (from ${runName(first!)}) already exists`, {
            cause: error,
          });
    }
    throw error;
  }
  // Restarts (a run after the first) take the latest mark from the runs before them; most starts have none.
  const later = rows.filter((r) => r.run_id > 1);
  if (later.length > 0)
    await q('clearOlderLatest', [
      later.map((r) => r.workflow_id),
      later.map((r) => r.instance_id),
      later.map((r) => r.run_id),
    ]);
  const inserted = new Set(rows.map(keyText));
  return runs.map((run) => (inserted.has(keyText(run)) ? runRecordOf(run, 1, modifyTime) : undefined));
}

export async function findRunsByRequestIds(q: Query, keys: readonly RequestKey[]): Promise<RunRecord[]> {
  if (keys.length === 0) return [];
  const { rows } = await q<RunRow>('getRunsByRequestIds', [
    keys.map((k) => k.workflow_id),
    keys.map((k) => k.request_id),
  ]);
  return rows.map(toRun);
}

export async function writeRuns(
  q: Query,
  writes: readonly RunWrite[],
  modifyTime: number,
): Promise<RunRecord[]> {
  if (writes.length === 0) return [];
  const runs = writes.map((w) => w.run);
  const steps = writes.flatMap(({ run, steps }) => lastOfEachStep(steps).map((step) => ({ run, step })));
  const { rows } = await q<RunKey>('writeRuns', [
    runs.map((r) => r.workflow_id),
    runs.map((r) => r.instance_id),
    runs.map((r) => r.run_id),
    runs.map((r) => r.version_id),
    runs.map((r) => r.status),
    runs.map((r) => r.correlation_id),
    runs.map((r) => JSON.stringify(r.initiator)),
    runs.map((r) => JSON.stringify(r.state)),
    runs.map((r) => r.start_time ?? null),
    runs.map((r) => r.end_time ?? null),
    writes.map((w) => w.expectedVersion),
    modifyTime,
    steps.map((s) => s.run.workflow_id),
    steps.map((s) => s.run.instance_id),
    steps.map((s) => s.run.run_id),
    steps.map((s) => s.step.step_id),
    steps.map((s) => s.step.status),
    steps.map((s) => s.step.attempt),
    steps.map((s) => JSON.stringify(s.step.state)),
  ]);
  if (rows.length < writes.length) {
    const written = new Set(rows.map(keyText));
    const missed = writes.find((w) => !written.has(keyText(w.run)))!;
    const { run } = missed;
    const [current] = (
      await q<{ version: number }>('getRunVersion', [run.workflow_id, run.instance_id, run.run_id])
    ).rows;
    throw runWriteError(keyOf(run), missed.expectedVersion, current?.version);
  }
  return writes.map((w) => runRecordOf(w.run, w.expectedVersion + 1, modifyTime));
}

export async function getStepsOf(q: Query, keys: readonly RunKey[]): Promise<StepRecord[][]> {
  const out: StepRecord[][] = keys.map(() => []);
  if (keys.length === 0) return out;
  const { rows } = await q<{ ord: number; step_id: string; status: string; attempt: number; state: string }>(
    'getStepsOf',
    [keys.map((k) => k.workflow_id), keys.map((k) => k.instance_id), keys.map((k) => k.run_id)],
  );
  for (const { ord, state, ...row } of rows)
    out[ord - 1]!.push({ ...row, state: JSON.parse(state) as JsonObject });
  return out;
}

export async function getWorkflowRulesOf(
  q: Query,
  requests: readonly { readonly workflow_id: string; readonly tags: readonly string[] }[],
): Promise<WorkflowRules[]> {
  if (requests.length === 0) return [];
  const { rows } = await q<{ version: number; properties: string | null; breakpoints: string; tags: string }>(
    'getWorkflowRulesOf',
    [requests.map((r) => r.workflow_id), requests.map((r) => JSON.stringify([...new Set(r.tags)]))],
  );
  return rows.map((row, i) => {
    const workflowId = requests[i]!.workflow_id;
    const points = JSON.parse(row.breakpoints) as [string, number, number, number][];
    const rules: WorkflowRules = {
      version: row.version,
      breakpoints: points.map(([step_id, instance_id, run_id, attempt]): Breakpoint => ({
        workflow_id: workflowId,
        step_id,
        instance_id,
        run_id,
        attempt,
      })),
      tagPermits: (JSON.parse(row.tags) as [string, number][]).map(([tag, max_allowed]) => ({
        tag,
        max_allowed,
      })),
    };
    return row.properties === null ? rules : { ...rules, properties: propertiesFromText(row.properties) };
  });
}

export async function listRunsByStatusOf(
  q: Query,
  limits: readonly { readonly workflow_id: string; readonly limit: number }[],
  statuses: readonly WorkflowInstanceStatus[],
): Promise<RunRecord[][]> {
  const out = limits.map((): RunRecord[] => []);
  const asked = limits.filter((l) => l.limit > 0);
  if (asked.length === 0 || statuses.length === 0) return out;
  const { rows } = await q<RunRow & { ord: string }>('listRunsByStatusOf', [
    limits.map((l) => l.workflow_id),
    limits.map((l) => Math.max(0, l.limit)),
    [...statuses],
  ]);
  for (const row of rows) out[Number(row.ord) - 1]!.push(toRun(row));
  return out;
}

export async function countRunsByStatusOf(
  q: Query,
  workflowIds: readonly string[],
  statuses: readonly WorkflowInstanceStatus[],
): Promise<number[]> {
  if (workflowIds.length === 0 || statuses.length === 0) return workflowIds.map(() => 0);
  const { rows } = await q<{ n: number }>('countRunsByStatusOf', [[...workflowIds], [...statuses]]);
  return rows.map((r) => r.n);
}
