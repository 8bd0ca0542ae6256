import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IllegalStateError, NotFoundError } from '../../model/errors.js';
import type { ApiDeps } from '../api-deps.js';
import { callerOf } from '../caller.js';
import { pausedAttempts } from '../paused-attempts.js';

const tagPermitRequest = z
  .strictObject({ tag: z.string().min(1).max(128), max_allowed: z.number().int().min(0).max(1_000_000) })
  .meta({ id: 'TagPermitRequest' });

/** Only the workflow and the step: Maestro's breakpoints match every version, instance, run and attempt. */
const breakpointRequest = z
  .strictObject({ workflow_id: z.string().min(1).max(128), step_id: z.string().min(1).max(128) })
  .meta({ id: 'StepBreakpointCreateRequest' });

const breakpointQuery = z.object({
  workflowId: z.string().min(1).max(128),
  stepId: z.string().min(1).max(128).optional(),
  resume: z.enum(['true', 'false']).optional(),
});

const resumeParams = z.object({
  workflowId: z.string().min(1).max(128),
  instanceId: z.coerce.number().int().min(1),
  run: z.coerce.number().int().min(1),
  stepId: z.string().min(1).max(128),
  attempt: z.coerce.number().int().min(1),
});

/** Tag permits (how many steps carrying a tag run at once) and step breakpoints. */
export function permitRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/tag-permits',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['tag permits'],
          summary: 'Set how many steps carrying a tag may run at once',
          body: tagPermitRequest,
        },
      },
      async (request, reply) => {
        await deps.engine.setTagPermit(request.body.tag, request.body.max_allowed);
        return reply.status(200).send();
      },
    );
    app.get(
      '/tag-permits/:tag',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['tag permits'],
          summary: 'A tag permit',
          params: z.object({ tag: z.string().min(1).max(128) }),
        },
      },
      async (request) => {
        const [permit] = await deps.store.transact((tx) => tx.getTagPermits([request.params.tag]));
        if (!permit) throw new NotFoundError(`No tag permit found for tag ${request.params.tag}`);
        return { tag: permit.tag, max_allowed: permit.max_allowed };
      },
    );

    app.delete(
      '/tag-permits/:tag',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['tag permits'],
          summary: 'Remove a tag permit (its steps are no longer limited)',
          params: z.object({ tag: z.string().min(1).max(128) }),
        },
      },
      async (request, reply) => {
        const removed = await deps.store.transact((tx) => tx.deleteTagPermit(request.params.tag));
        if (!removed) throw new NotFoundError(`No tag permit found for tag ${request.params.tag}`);
        return reply.status(200).send();
      },
    );

    const tags = ['breakpoints'];
    app.post(
      '/workflows/steps/breakpoints',
      {
        config: { role: 'operator' },
        schema: { tags, summary: 'Pause every attempt of a step before it runs', body: breakpointRequest },
      },
      async (request) => {
        const { workflow_id, step_id } = request.body;
        if (!(await deps.store.transact((tx) => tx.getWorkflow(workflow_id))))
          throw new NotFoundError(`workflow '${workflow_id}' does not exist`);
        await deps.engine.setBreakpoint({ workflow_id, step_id, instance_id: 0, run_id: 0, attempt: 0 });
        return breakpointView(workflow_id, step_id, deps.clock.now(), callerOf(request));
      },
    );
    app.get(
      '/workflows/steps/breakpoints',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: "A workflow's breakpoints (of one step with stepId)",
          querystring: breakpointQuery,
        },
      },
      async (request) => {
        const { workflowId, stepId } = request.query;
        const all = await deps.store.transact((tx) => tx.listBreakpoints(workflowId));
        return all
          .filter((b) => stepId === undefined || b.step_id === stepId)
          .map((b) => ({
            workflow_id: b.workflow_id,
            step_id: b.step_id,
            workflow_version_id: 0,
            workflow_instance_id: b.instance_id,
            workflow_run_id: b.run_id,
            step_attempt_id: b.attempt,
          }));
      },
    );
    app.delete(
      '/workflows/steps/breakpoints',
      {
        config: { role: 'operator' },
        schema: { tags, summary: 'Remove the breakpoint of a step', querystring: breakpointQuery },
      },
      async (request) => {
        const { workflowId, stepId, resume } = request.query;
        if (stepId === undefined) throw new NotFoundError('give the stepId of the breakpoint to remove');
        await deps.engine.deleteBreakpoint({
          workflow_id: workflowId,
          step_id: stepId,
          instance_id: 0,
          run_id: 0,
          attempt: 0,
        });
        const caller = callerOf(request);
        // As in Maestro, removing a breakpoint resumes the attempts it paused unless resume=false.
        let resumed = 0;
        if (resume !== 'false') {
          for (const p of await pausedAttempts(deps.store.transact.bind(deps.store), workflowId, stepId)) {
            const key = {
              workflow_id: p.workflow_id,
              instance_id: p.workflow_instance_id,
              run_id: p.workflow_run_id,
            };
            try {
              await deps.engine.action(key, 'RESUME', p.step_id, p.step_attempt_id);
              resumed++;
            } catch (error) {
              // one that was resumed, stopped or ended meanwhile is no reason to leave the others paused
              if (!(error instanceof IllegalStateError || error instanceof NotFoundError)) throw error;
            }
          }
        }
        return {
          workflow_id: workflowId,
          step_id: stepId,
          timeline_event: {
            timestamp: deps.clock.now(),
            type: 'LOG',
            level: 'INFO',
            message: `StepBreakpoint has been removed by the user [${caller}]. Total of [${resumed}] steps have been resumed`,
          },
        };
      },
    );
    app.get(
      '/workflows/steps/breakpoints/paused-step-attempts',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: "A workflow's step attempts paused at breakpoints (of one step with stepId)",
          querystring: breakpointQuery.omit({ resume: true }),
        },
      },
      async (request) =>
        pausedAttempts(deps.store.transact.bind(deps.store), request.query.workflowId, request.query.stepId),
    );
    app.put(
      '/workflows/steps/breakpoints/:workflowId/instances/:instanceId/runs/:run/steps/:stepId/attempts/:attempt/actions/resume',
      {
        config: { role: 'operator', owner: true },
        schema: { tags, summary: 'Resume a paused step attempt', params: resumeParams },
      },
      async (request) => {
        const { workflowId, instanceId, run, stepId, attempt } = request.params;
        const key = { workflow_id: workflowId, instance_id: instanceId, run_id: run };
        // Checked in the transaction that resumes it: the attempt must still be the step's current one.
        await deps.engine.action(key, 'RESUME', stepId, attempt);
        const caller = callerOf(request);
        return {
          workflow_id: workflowId,
          workflow_instance_id: instanceId,
          workflow_run_id: run,
          step_id: stepId,
          step_attempt_id: attempt,
          timeline_event: {
            timestamp: deps.clock.now(),
            type: 'LOG',
            level: 'INFO',
            message: `User [${caller}] take action [RESUME] on the step [${stepId}]`,
          },
        };
      },
    );
  };
}

function breakpointView(workflowId: string, stepId: string, now: number, caller: string) {
  return {
    workflow_id: workflowId,
    step_id: stepId,
    workflow_version_id: 0,
    workflow_instance_id: 0,
    workflow_run_id: 0,
    step_attempt_id: 0,
    create_time: now,
    created_by: caller,
  };
}
