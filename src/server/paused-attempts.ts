import type { StoreTx } from '../store/port.js';

/** A step attempt stopped at a breakpoint (Maestro's PausedStepAttempt). */
export interface PausedAttempt {
  readonly workflow_id: string;
  readonly workflow_version_id: number;
  readonly workflow_instance_id: number;
  readonly workflow_run_id: number;
  readonly step_id: string;
  readonly step_attempt_id: number;
  readonly create_time: number;
}

/**
 * The paused attempts of a workflow (of one step when given). A paused step belongs to a run in progress, so this
 * reads the workflow's IN_PROGRESS instances page by page (their latest runs, steps in one query per page): the cost
 * grows with how many runs are in progress, not with the history.
 */
export async function pausedAttempts(
  transact: <T>(fn: (tx: StoreTx) => Promise<T>) => Promise<T>,
  workflowId: string,
  stepId?: string,
): Promise<PausedAttempt[]> {
  const out: PausedAttempt[] = [];
  for (let after: number | undefined; ;) {
    const { page, steps } = await transact(async (tx) => {
      const page = await tx.listInstances(
        workflowId,
        after === undefined ? { first: 200 } : { first: 200, after },
        ['IN_PROGRESS'],
      );
      return { page, steps: await tx.getStepsOf(page.rows) };
    });
    page.rows.forEach((run, i) => {
      for (const step of steps[i]!) {
        if (step.status !== 'PAUSED' || (stepId !== undefined && step.step_id !== stepId)) continue;
        out.push({
          workflow_id: run.workflow_id,
          workflow_version_id: run.version_id,
          workflow_instance_id: run.instance_id,
          workflow_run_id: run.run_id,
          step_id: step.step_id,
          step_attempt_id: step.attempt,
          create_time: Number((step.state as { create_time?: number }).create_time ?? run.create_time),
        });
      }
    });
    if (!page.hasMore) return out;
    after = page.rows[page.rows.length - 1]!.instance_id;
  }
}
