import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRunParams } from '../../dsl/run-params.js';
import { planOf } from '../../engine/plan.js';
import type { RunAction } from '../../engine/events.js';
import type { LoadedRun } from '../../engine/run-record.js';
import { RestartPolicy } from '../../engine/restart.js';
import { NotFoundError, ValidationError } from '../../model/errors.js';
import type { RunKey } from '../../store/port.js';
import { WORKFLOW_INSTANCE_TRAITS } from '../../model/status.js';
import type { ApiDeps, ApiOptions } from '../api-deps.js';
import { callerOf } from '../caller.js';
import { runView, startResponseView } from '../views/run-views.js';

const instanceParams = z.object({
  workflowId: z.string().min(1).max(128),
  instanceId: z.coerce.number().int().min(1),
});
const runParams = instanceParams.extend({ run: z.string().regex(/^(latest|[1-9][0-9]*)$/) });
const actionParams = z.object({ action: z.enum(['stop', 'kill', 'unblock']) });

export const restartRequestSchema = z
  .strictObject({
    restart_policy: z.enum(['RESTART_FROM_INCOMPLETE', 'RESTART_FROM_BEGINNING']).optional(),
    run_params: z.record(z.string(), z.unknown()).optional(),
    request_id: z.string().min(1).max(128).optional(),
    request_time: z.number().optional(),
  })
  .meta({ id: 'WorkflowInstanceRestartRequest' });

/** Instances and their runs: read them, stop, kill or unblock them, restart them. */
export function instanceRoutes(deps: ApiDeps, options: ApiOptions = {}): FastifyPluginAsync {
  /** A run with its steps and the step order of its version (for the overview's step indexes). */
  async function loadRun(
    workflowId: string,
    instanceId: number,
    run: string,
  ): Promise<{ loaded: LoadedRun; view: object }> {
    const latest = await deps.store.transact((tx) => tx.getLatestRun(workflowId, instanceId));
    if (!latest) throw new NotFoundError(`workflow '${workflowId}' has no instance ${instanceId}`);
    const key: RunKey = {
      workflow_id: workflowId,
      instance_id: instanceId,
      run_id: run === 'latest' ? latest.run_id : Number(run),
    };
    const loaded = await deps.engine.getRun(key);
    if (!loaded)
      throw new NotFoundError(`instance ${instanceId} of workflow '${workflowId}' has no run ${key.run_id}`);
    const workflow = await deps.engine.definition(workflowId, loaded.run.version_id);
    return { loaded, view: runView(loaded, planOf(workflow)) };
  }

  /** Applies the action in one transaction (refused with 409 when the status does not allow it). */
  async function act(key: RunKey, action: 'stop' | 'kill' | 'unblock', caller: string) {
    const name = action.toUpperCase();
    if (action === 'unblock') await deps.engine.unblock(key);
    else await deps.engine.action(key, name as RunAction);
    const after = await deps.store.transact((tx) => tx.getRun(key));
    const completed =
      after !== undefined && (action === 'unblock' || WORKFLOW_INSTANCE_TRAITS[after.status].terminal);
    return {
      workflow_id: key.workflow_id,
      workflow_instance_id: key.instance_id,
      workflow_run_id: key.run_id,
      workflow_instance_status: after?.status ?? 'FAILED',
      info: completed
        ? 'The action is completed.'
        : 'The action is accepted and is still running. Please check it again.',
      timeline_event: {
        timestamp: deps.clock.now(),
        type: 'ACTION',
        action: name,
        author: caller,
        message: `${name} by a user [${caller}]`,
      },
      completed,
    };
  }

  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const tags = ['instances'];

    app.get(
      '/workflows/:workflowId/instances/:instanceId/runs/:run',
      { schema: { tags, summary: 'One run of an instance (a number or latest)', params: runParams } },
      async (request) =>
        (await loadRun(request.params.workflowId, request.params.instanceId, request.params.run)).view,
    );
    app.get(
      '/workflows/:workflowId/instances/:instanceId',
      { schema: { tags, summary: 'An instance, as its latest run', params: instanceParams } },
      async (request) => (await loadRun(request.params.workflowId, request.params.instanceId, 'latest')).view,
    );
    app.put(
      '/workflows/:workflowId/instances/:instanceId/actions/:action',
      {
        schema: {
          tags,
          summary: 'Stop, kill or unblock the latest run of an instance',
          params: instanceParams.merge(actionParams),
        },
      },
      async (request) => {
        const { workflowId, instanceId, action } = request.params;
        const latest = await deps.store.transact((tx) => tx.getLatestRun(workflowId, instanceId));
        if (!latest) throw new NotFoundError(`workflow '${workflowId}' has no instance ${instanceId}`);
        return act(latest, action, callerOf(request));
      },
    );
    app.put(
      '/workflows/:workflowId/instances/:instanceId/runs/:run/actions/:action',
      { schema: { tags, summary: 'Stop, kill or unblock one run', params: runParams.merge(actionParams) } },
      async (request) => {
        const { workflowId, instanceId, run, action } = request.params;
        const { loaded } = await loadRun(workflowId, instanceId, run);
        return act(loaded.run, action, callerOf(request));
      },
    );
    app.post(
      '/workflows/:workflowId/instances/:instanceId/actions/restart',
      {
        schema: {
          tags,
          summary: 'Restart an instance whose latest run ended: a new run',
          params: instanceParams,
          body: restartRequestSchema.optional(),
        },
      },
      async (request, reply) => {
        const body = request.body ?? {};
        const params = readRunParams(body.run_params, ['run_params'], options.limits);
        if (params.issues.length > 0) throw new ValidationError('bad run params', params.issues);
        const restarted = await deps.engine.restart({
          workflow_id: request.params.workflowId,
          instance_id: request.params.instanceId,
          policy: body.restart_policy ?? RestartPolicy.RESTART_FROM_INCOMPLETE,
          ...(params.params ? { run_param_definitions: params.params } : {}),
          ...(body.request_id === undefined ? {} : { request_id: body.request_id }),
        });
        return reply.status(restarted.status === 'DUPLICATED' ? 200 : 201).send(startResponseView(restarted));
      },
    );
  };
}
