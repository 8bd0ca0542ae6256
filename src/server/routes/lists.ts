import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { planOf } from '../../engine/plan.js';
import { stateOf } from '../../engine/run-record.js';
import { NotFoundError } from '../../model/errors.js';
import { WorkflowInstanceStatus } from '../../model/status.js';
import type { PageRequest, RunRecord } from '../../store/port.js';
import type { ApiDeps } from '../api-deps.js';
import { idCursor, pageQuery, pageRequest, paginationResult } from '../pagination.js';
import { runView } from '../views/run-views.js';
import { timeTriggerView } from '../views/time-trigger-views.js';
import { workflowDefinitionView, workflowSummaryView } from '../views/workflow-views.js';

const workflowParams = z.object({ workflowId: z.string().min(1).max(128) });
const STATUSES = Object.values(WorkflowInstanceStatus) as [
  WorkflowInstanceStatus,
  ...WorkflowInstanceStatus[],
];
const instancesQuery = pageQuery.extend({
  /** Baton's: only instances whose latest run is in one of these statuses (comma-separated). */
  status: z
    .string()
    .regex(new RegExp(`^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$`))
    .optional(),
});

/** Paginated listings in Maestro's PaginationResult (`first`/`last` and a cursor that is the listing's key). */
export function listRoutes(deps: ApiDeps): FastifyPluginAsync {
  const tx = deps.store.transact.bind(deps.store);

  /** Runs as Maestro's WorkflowInstance, their steps read in one go. */
  async function runViews(runs: readonly RunRecord[]) {
    const steps = await tx((t) => t.getStepsOf(runs));
    const views = [];
    for (const [i, run] of runs.entries()) {
      const plan = planOf(await deps.engine.definition(run.workflow_id, run.version_id));
      views.push(runView({ run, state: stateOf(run, steps[i]!) }, plan));
    }
    return views;
  }

  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/workflows',
      {
        config: { role: 'viewer' },
        schema: { tags: ['workflows'], summary: 'Workflows by id (Baton)', querystring: pageQuery },
      },
      async (request) => {
        const query =
          request.query.first === undefined && request.query.last === undefined
            ? { ...request.query, first: 100 }
            : request.query;
        const page = pageRequest(query, (c) => c);
        const [result, triggers] = await tx(async (t) => {
          const listed = await t.listWorkflows(page);
          return [listed, await t.getTimeTriggers(listed.rows.map((w) => w.workflow_id))] as const;
        });
        const byWorkflow = new Map(triggers.map((s) => [s.workflow_id, s]));
        return paginationResult(
          result,
          page,
          (w) => w.workflow_id,
          (r) => tx((t) => t.listWorkflows(r)),
          (w) => workflowSummaryView(w, byWorkflow.get(w.workflow_id)),
          null,
        );
      },
    );

    app.get(
      '/workflows/:workflowId',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['workflows'],
          summary:
            'A workflow: its ids, counters and owner, and its time triggers with their next fire times',
          params: workflowParams,
        },
      },
      async (request) => {
        const { workflowId } = request.params;
        const [workflow, triggers] = await tx(
          async (t) => [await t.getWorkflow(workflowId), await t.getTimeTrigger(workflowId)] as const,
        );
        if (!workflow) throw new NotFoundError(`workflow '${workflowId}' does not exist`);
        return {
          ...workflowSummaryView(workflow, triggers),
          ...(triggers ? { time_triggers: timeTriggerView(triggers) } : {}),
        };
      },
    );

    app.get(
      '/workflows/:workflowId/versions',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['workflows'],
          summary: 'Versions of a workflow, newest first',
          params: workflowParams,
          querystring: pageQuery,
        },
      },
      async (request) => {
        const { workflowId } = request.params;
        const page = pageRequest(request.query, idCursor);
        const [workflow, result] = await tx(
          async (t) => [await t.getWorkflow(workflowId), await t.listVersions(workflowId, page)] as const,
        );
        if (!workflow) throw new NotFoundError(`workflow '${workflowId}' does not exist`);
        return paginationResult(
          result,
          page,
          (v) => v.version_id,
          (r) => tx((t) => t.listVersions(workflowId, r)),
          (v) => workflowDefinitionView(v, workflow),
          workflow.latest_version_id,
        );
      },
    );

    app.get(
      '/workflows/:workflowId/instances',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['instances'],
          summary: 'Instances of a workflow, newest first, each as its latest run',
          params: workflowParams,
          querystring: instancesQuery,
        },
      },
      async (request) => {
        const { workflowId } = request.params;
        const page: PageRequest<number> = pageRequest(request.query, idCursor);
        const statuses = request.query.status?.split(',') as WorkflowInstanceStatus[] | undefined;
        const read = (r: PageRequest<number>) => tx((t) => t.listInstances(workflowId, r, statuses));
        const [workflow, result] = await tx(
          async (t) =>
            [await t.getWorkflow(workflowId), await t.listInstances(workflowId, page, statuses)] as const,
        );
        if (!workflow) throw new NotFoundError(`workflow '${workflowId}' does not exist`);
        const views = new Map((await runViews(result.rows)).map((v, i) => [result.rows[i]!, v]));
        return paginationResult(
          result,
          page,
          (r) => r.instance_id,
          read,
          (r) => views.get(r)!,
          workflow.latest_instance_id,
        );
      },
    );

    app.get(
      '/workflows/:workflowId/instances/:instanceId/runs',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['instances'],
          summary: 'The runs of an instance, oldest first',
          params: workflowParams.extend({ instanceId: z.coerce.number().int().min(1) }),
          querystring: pageQuery,
        },
      },
      async (request) => {
        const key = { workflow_id: request.params.workflowId, instance_id: request.params.instanceId };
        const query =
          request.query.first === undefined && request.query.last === undefined
            ? { ...request.query, first: 100 }
            : request.query;
        const page = pageRequest(query, idCursor);
        const result = await tx((t) => t.listRuns(key, page));
        if (result.rows.length === 0 && !(await tx((t) => t.getLatestRun(key.workflow_id, key.instance_id))))
          throw new NotFoundError(`workflow '${key.workflow_id}' has no instance ${key.instance_id}`);
        const views = new Map((await runViews(result.rows)).map((v, i) => [result.rows[i]!, v]));
        return paginationResult(
          result,
          page,
          (r) => r.run_id,
          (r) => tx((t) => t.listRuns(key, r)),
          (r) => views.get(r)!,
          null,
        );
      },
    );

    app.get(
      '/tag-permits',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['tag permits'],
          summary: 'Tag permits by tag',
          querystring: pageQuery.omit({ last: true }),
        },
      },
      async (request) => {
        const first = request.query.first ?? 100;
        const page = {
          first,
          ...(request.query.cursor === undefined ? {} : { after: request.query.cursor }),
        };
        const result = await tx((t) => t.listTagPermits(page));
        return paginationResult(
          result,
          page,
          (p) => p.tag,
          (r) =>
            'first' in r ? tx((t) => t.listTagPermits(r)) : Promise.resolve({ rows: [], hasMore: false }),
          (p) => ({ tag: p.tag, max_allowed: p.max_allowed }),
          null,
        );
      },
    );
  };
}
