import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { planOf } from '../../engine/plan.js';
import type { RunAction } from '../../engine/events.js';
import type { LoadedRun } from '../../engine/run-record.js';
import { NotFoundError } from '../../model/errors.js';
import type { JsonObject } from '../../model/json.js';
import { stepInstanceActionMap, workflowInstanceActionMap } from '../../model/status.js';
import type { RunKey } from '../../store/port.js';
import type { ApiDeps } from '../api-deps.js';
import { callerOf } from '../caller.js';
import { startResponseView, stepAttemptView } from '../views/run-views.js';

const instanceParams = z.object({
  workflowId: z.string().min(1).max(128),
  instanceId: z.coerce.number().int().min(1),
});
const runParams = instanceParams.extend({ run: z.string().regex(/^(latest|[1-9][0-9]*)$/i) });
const stepParams = instanceParams.extend({ stepId: z.string().min(1).max(128) });
const attemptParams = runParams.extend({
  stepId: z.string().min(1).max(128),
  attempt: z.string().regex(/^(latest|[1-9][0-9]*)$/i),
});
const stepActionParams = stepParams.extend({ action: z.enum(['stop', 'kill', 'skip', 'bypass']) });

/** The engine action of each step action of the API (`bypass`: Maestro's BYPASS_STEP_DEPENDENCIES). */
const STEP_ACTIONS = {
  stop: 'STOP',
  kill: 'KILL',
  skip: 'SKIP',
  bypass: 'BYPASS_STEP_DEPENDENCIES',
} as const satisfies Record<z.infer<typeof stepActionParams>['action'], RunAction>;

/** An action map as Maestro answers it: statuses that allow no action are left out. */
function withActions(map: Readonly<Record<string, readonly string[]>>): JsonObject {
  return Object.fromEntries(
    Object.entries(map)
      .filter(([, actions]) => actions.length > 0)
      .map(([s, a]) => [s, [...a]]),
  );
}

/** Step instances and their attempts: read them, act on them, restart them. */
export function stepRoutes(deps: ApiDeps): FastifyPluginAsync {
  async function loadRun(workflowId: string, instanceId: number, run: string): Promise<LoadedRun> {
    const latest = await deps.store.transact((tx) => tx.getLatestRun(workflowId, instanceId));
    if (!latest) throw new NotFoundError(`workflow '${workflowId}' has no instance ${instanceId}`);
    const runId = run.toLowerCase() === 'latest' ? latest.run_id : Number(run);
    const loaded = await deps.engine.getRun({
      workflow_id: workflowId,
      instance_id: instanceId,
      run_id: runId,
    });
    if (!loaded)
      throw new NotFoundError(`instance ${instanceId} of workflow '${workflowId}' has no run ${runId}`);
    return loaded;
  }

  async function planFor(loaded: LoadedRun) {
    return planOf(await deps.engine.definition(loaded.run.workflow_id, loaded.run.version_id));
  }

  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const tags = ['steps'];
    const read = { role: 'viewer' } as const;
    // Operators act on any step; a workflow's owner on the steps of its own instances.
    const operate = { role: 'operator', owner: true } as const;

    app.get(
      '/workflows/instances/action-map',
      { config: read, schema: { tags: ['instances'], summary: 'Instance status → actions' } },
      async () => withActions(workflowInstanceActionMap()),
    );
    app.get(
      '/workflows/steps/instances/action-map',
      { config: read, schema: { tags, summary: 'Step status → actions' } },
      async () => withActions(stepInstanceActionMap()),
    );

    app.get(
      '/workflows/:workflowId/instances/:instanceId/runs/:run/steps',
      {
        config: read,
        schema: {
          tags,
          summary: 'The steps of a run (their latest attempts), in the order of the definition',
          params: runParams,
        },
      },
      async (request) => {
        const loaded = await loadRun(
          request.params.workflowId,
          request.params.instanceId,
          request.params.run,
        );
        const plan = await planFor(loaded);
        return plan.order.flatMap((id) => {
          const step = loaded.state.steps[id];
          const view = step && stepAttemptView(loaded.run, plan, id, step, step.attempt);
          return view ? [view] : [];
        });
      },
    );

    app.get(
      '/workflows/:workflowId/instances/:instanceId/runs/:run/steps/:stepId/attempts/:attempt',
      {
        config: read,
        schema: { tags, summary: 'One attempt of a step (a number or latest)', params: attemptParams },
      },
      async (request) => {
        const { workflowId, instanceId, run, stepId, attempt } = request.params;
        const loaded = await loadRun(workflowId, instanceId, run);
        const step = loaded.state.steps[stepId];
        const n = attempt.toLowerCase() === 'latest' ? step?.attempt : Number(attempt);
        const view =
          step && n !== undefined && stepAttemptView(loaded.run, await planFor(loaded), stepId, step, n);
        if (!view)
          throw new NotFoundError(
            `run ${loaded.run.run_id} of instance ${instanceId} of '${workflowId}' has no attempt ${attempt} of step '${stepId}'`,
          );
        return view;
      },
    );

    app.get(
      '/workflows/:workflowId/instances/:instanceId/steps/:stepId',
      {
        config: read,
        schema: {
          tags,
          summary: "A step as the instance's latest run that has it shows it",
          params: stepParams,
        },
      },
      async (request) => {
        const { workflowId, instanceId, stepId } = request.params;
        let loaded = await loadRun(workflowId, instanceId, 'latest');
        if (!(await planFor(loaded)).steps.has(stepId))
          throw new NotFoundError(`workflow '${workflowId}' has no step '${stepId}'`);
        // A restarted run may not have reached the step yet: the latest earlier run that has it shows it.
        while (!loaded.state.steps[stepId] && loaded.run.run_id > 1)
          loaded = await loadRun(workflowId, instanceId, String(loaded.run.run_id - 1));
        const step = loaded.state.steps[stepId];
        const view = step && stepAttemptView(loaded.run, await planFor(loaded), stepId, step, step.attempt);
        if (!view)
          throw new NotFoundError(
            `instance ${instanceId} of '${workflowId}' has no step '${stepId}' that was created`,
          );
        return view;
      },
    );

    app.put(
      '/workflows/:workflowId/instances/:instanceId/steps/:stepId/actions/:action',
      {
        config: operate,
        schema: {
          tags,
          summary: "Stop, kill, skip or bypass (its signal dependencies) a step of the instance's latest run",
          params: stepActionParams,
        },
      },
      async (request) => {
        const { workflowId, instanceId, stepId, action } = request.params;
        const loaded = await loadRun(workflowId, instanceId, 'latest');
        const key: RunKey = loaded.run;
        await deps.engine.action(key, STEP_ACTIONS[action], stepId);
        const after = await deps.engine.getRun(key);
        const step = after?.state.steps[stepId];
        const caller = callerOf(request);
        return {
          workflow_id: workflowId,
          workflow_instance_id: instanceId,
          workflow_run_id: key.run_id,
          step_id: stepId,
          ...(step
            ? {
                step_attempt_id: step.attempt,
                step_runtime_state: {
                  status: step.status,
                  ...(step.end_time === undefined ? {} : { end_time: step.end_time }),
                },
              }
            : {}),
          timeline_event: {
            timestamp: deps.clock.now(),
            type: 'ACTION',
            action: STEP_ACTIONS[action],
            author: caller,
            message: `${STEP_ACTIONS[action]} by a user [${caller}]`,
          },
        };
      },
    );

    app.post(
      '/workflows/:workflowId/instances/:instanceId/steps/:stepId/actions/restart',
      {
        config: operate,
        schema: {
          tags,
          summary: 'Restart a step: a new attempt in a running run, else a new run from the step',
          params: stepParams,
        },
      },
      async (request) => {
        const { workflowId, instanceId, stepId } = request.params;
        const started = await deps.engine.restartStep(
          { workflow_id: workflowId, instance_id: instanceId },
          stepId,
        );
        if (started) return { ...startResponseView(started), step_id: stepId, step_attempt_id: 1 };
        const loaded = await loadRun(workflowId, instanceId, 'latest');
        const step = loaded.state.steps[stepId];
        return {
          workflow_id: workflowId,
          workflow_version_id: loaded.run.version_id,
          workflow_instance_id: instanceId,
          workflow_run_id: loaded.run.run_id,
          step_id: stepId,
          ...(step ? { step_attempt_id: step.attempt } : {}),
          status: 'CREATED',
        };
      },
    );
  };
}
