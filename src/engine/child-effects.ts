import { BatonError, ValidationError } from '../model/errors.js';
import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import type { RunRecord, StoreTx } from '../store/port.js';
import type { CarryOutContext, FollowUp } from './carry-out.js';
import type { Effect, EngineEvent } from './events.js';
import { runKeyOf } from './run-record.js';
import type { StartRequest } from './start-run.js';
import { childStartRequest, treeLink } from './subworkflow.js';

/** Unfinished iterations of one foreach attempt stopped at most (never more than its concurrency run at once). */
const STOP_MAX = 100_000;

/** Starts the child a subworkflow attempt asked for; what happened is the attempt's next event. */
export async function startChild(
  tx: StoreTx,
  run: RunRecord,
  effect: Extract<Effect, { type: 'start_child' }>,
  ctx: CarryOutContext,
): Promise<EngineEvent> {
  const { step_id, attempt } = effect;
  const request = childStartRequest(run, effect);
  if (typeof request === 'string') return { type: 'child_start_failed', step_id, attempt, message: request };
  try {
    const { run: child, status } = effect.restart
      ? await ctx.restartChild(tx, {
          workflow_id: effect.restart.workflow_id,
          instance_id: effect.restart.instance_id,
          policy: 'RESTART_FROM_INCOMPLETE',
          request_id: request.request_id,
          parent: request.parent,
          ...(request.initiator ? { initiator: request.initiator } : {}),
        })
      : await ctx.startChild(tx, request);
    // A child stored already ended (its workflow's FIRST_ONLY strategy stopped it at once) never ends again: the
    // attempt learns it now, or it would wait for an end that does not come.
    if (status === 'STOPPED' || WORKFLOW_INSTANCE_TRAITS[child.status].terminal)
      return {
        type: 'child_start_failed',
        step_id,
        attempt,
        message: `its run ${child.workflow_id}/${child.instance_id}/${child.run_id} ended ${child.status} at once${
          typeof child.state['message'] === 'string' ? `: ${child.state['message']}` : ''
        }`,
      };
    return { type: 'child_started', step_id, attempt, child: runKeyOf(child), version_id: child.version_id };
  } catch (error) {
    return { type: 'child_start_failed', step_id, attempt, message: refusalOf(error) };
  }
}

/**
 * Stores a loop attempt's inline workflow with its first iterations, then stores the iterations asked for (instance k
 * is iteration k), each with a timer due now that starts it: they bypass admission. A refusal (too deep, params an
 * iteration refuses) is the attempt's `child_start_failed`.
 */
export async function startIterations(
  tx: StoreTx,
  parent: RunRecord,
  effect: Extract<Effect, { type: 'start_iterations' }>,
  ctx: CarryOutContext,
): Promise<FollowUp[]> {
  const { step_id, attempt, workflow_id } = effect;
  const failed = (message: string): FollowUp[] => [
    { key: runKeyOf(parent), event: { type: 'child_start_failed', step_id, attempt, message } },
  ];
  const link = treeLink(parent, effect.loop, step_id, attempt);
  if (typeof link === 'string') return failed(link);
  try {
    if (effect.steps && !(await tx.getWorkflow(workflow_id)))
      await tx.insertWorkflowVersion({
        request: {
          workflow: { id: workflow_id, steps: effect.steps },
          properties: { run_strategy: { rule: 'PARALLEL' } },
        },
        author: `${parent.workflow_id}/${parent.instance_id}/${parent.run_id}/${step_id}`,
        now: ctx.now,
      });
    const requests = effect.iterations.map((it): StartRequest => ({
      workflow_id,
      version: 1,
      run_param_definitions: it.params as never,
      request_id: `${workflow_id}:${it.instance_id}`,
      ...link,
      ...(effect.instance_step_concurrency === undefined
        ? {}
        : { instance_step_concurrency: effect.instance_step_concurrency }),
      admitted: true,
    }));
    const results = await ctx.startChildren(tx, requests);
    const { local } = ctx;
    const lease = local.takesControl() ? { owner: local.owner, until: ctx.now + local.leaseMs } : undefined;
    for (const [i, r] of results.entries()) {
      const expected = effect.iterations[i]!.instance_id;
      if (r.run.instance_id !== expected)
        throw new Error(
          `iteration ${expected} of ${workflow_id} was stored as instance ${r.run.instance_id}`,
        );
      // Started by a due timer, in a transaction of their own: started here, an iteration that ends at once
      // (NoOp) would launch the next in the same transaction, and the whole loop would run in one. The timer is
      // leased to this process when it takes control items: its committer starts it after the commit, unclaimed.
      if (r.status === 'CREATED')
        ctx.batch.items.push({
          kind: 'timer',
          ...runKeyOf(r.run),
          payload: { event: { type: 'start' } },
          run_at: ctx.now,
          ...(lease ? { lease_owner: lease.owner, lease_until: lease.until } : {}),
        });
    }
    return [];
  } catch (error) {
    return failed(refusalOf(error));
  }
}

/** Stops the unfinished iterations of a foreach attempt (each ends STOPPED and tells the attempt, which is over). */
export async function stopIterations(
  tx: StoreTx,
  effect: Extract<Effect, { type: 'stop_iterations' }>,
): Promise<FollowUp[]> {
  const runs = await tx.listRunsByStatus(effect.workflow_id, ['CREATED', 'IN_PROGRESS'], STOP_MAX);
  return runs
    .filter((r) => r.parent?.step_id === effect.step_id && r.parent.attempt === effect.attempt)
    .map((r) => ({ key: runKeyOf(r), event: { type: 'action', action: 'STOP' } }));
}

/** A refusal (no such workflow or version, bad params) as a message; anything else fails the transaction. */
function refusalOf(error: unknown): string {
  if (!(error instanceof BatonError)) throw error;
  const issues = error instanceof ValidationError ? error.issues.map((i) => i.message) : [];
  return issues.length > 0 ? `${error.message}: ${issues.join('; ')}` : error.message;
}
