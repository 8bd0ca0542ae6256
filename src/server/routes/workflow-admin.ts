import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalizeTags } from '../../dsl/normalize-param.js';
import { readPropertiesChange } from '../../dsl/properties-change.js';
import { tagSchema } from '../../dsl/wire-schema.js';
import { NotFoundError, ValidationError } from '../../model/errors.js';
import type { RunAction } from '../../engine/events.js';
import { WORKFLOW_INSTANCE_TRAITS, type WorkflowInstanceStatus } from '../../model/status.js';
import type { ApiDeps, ApiOptions } from '../api-deps.js';
import { callerOf } from '../caller.js';
import { parseVersion, resolveVersion } from '../versions.js';
import { syncTimeTriggers } from '../../triggers/sync.js';
import { snapshotView, timelineEntryView } from '../views/workflow-views.js';

const workflowParams = z.object({ workflowId: z.string().min(1).max(128) });
const versionParams = workflowParams.extend({ version: z.string().min(1).max(32) });

/** Whole-workflow changes: activation, properties and tags, overview, timeline, deletion, acting on every instance. */
export function workflowAdminRoutes(deps: ApiDeps, options: ApiOptions = {}): FastifyPluginAsync {
  const tx = deps.store.transact.bind(deps.store);
  const event = (action: string, author: string, message: string) => ({
    timestamp: deps.clock.now(),
    type: 'ACTION',
    action,
    author,
    message,
  });

  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const tags = ['workflows'];

    app.put(
      '/workflows/:workflowId/versions/:version/actions/activate',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Make a version the active one (the one triggers start)',
          params: versionParams,
        },
      },
      async (request) => {
        const { workflowId } = request.params;
        const caller = callerOf(request);
        const selector = parseVersion(request.params.version);
        const workflow = await deps.engine.changeWorkflow(workflowId, async (t) => {
          const { version } = await resolveVersion(t, workflowId, selector);
          const activated = await t.activateVersion(workflowId, version.version_id, caller, deps.clock.now());
          await syncTimeTriggers(t, workflowId, deps.clock.now());
          return activated;
        });
        return {
          workflow_id: workflowId,
          workflow_version_id: workflow.active_version_id,
          timeline_event: event('ACTIVATE', caller, `activated version ${workflow.active_version_id}`),
        };
      },
    );
    app.put(
      '/workflows/:workflowId/actions/deactivate',
      {
        config: { role: 'admin' },
        schema: { tags, summary: 'Make no version active (triggers stop)', params: workflowParams },
      },
      async (request) => {
        const caller = callerOf(request);
        const { workflowId } = request.params;
        await deps.engine.changeWorkflow(workflowId, (t) =>
          t.deactivateWorkflow(workflowId, caller, deps.clock.now()),
        );
        return {
          workflow_id: workflowId,
          workflow_version_id: 0,
          timeline_event: event('DEACTIVATE', caller, 'deactivated the workflow'),
        };
      },
    );

    app.post(
      '/workflows/:workflowId/properties',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Change properties (the keys given replace theirs)',
          params: workflowParams,
        },
      },
      async (request) => {
        const read = readPropertiesChange(request.body, options.limits);
        if (!read.changes) throw new ValidationError('bad properties', read.issues);
        const changes = read.changes;
        const caller = callerOf(request);
        const { workflowId } = request.params;
        // signal_trigger_disabled / time_trigger_disabled change what the triggers are: subscriptions follow.
        return snapshotView(
          await deps.engine.changeWorkflow(workflowId, (t) =>
            t.updateProperties(workflowId, changes, caller, deps.clock.now()),
          ),
        );
      },
    );
    app.post(
      '/workflows/:workflowId/properties/tag',
      {
        config: { role: 'admin' },
        schema: { tags, summary: 'Add (or replace) a workflow tag', params: workflowParams, body: tagSchema },
      },
      async (request) => {
        const [tag] = normalizeTags([request.body]) ?? [];
        if (!tag)
          throw new ValidationError('bad tag', [
            { code: 'INVALID_VALUE', path: [], message: 'a tag is a name or {name, ...}' },
          ]);
        const caller = callerOf(request);
        return snapshotView(
          await tx((t) => t.addWorkflowTag(request.params.workflowId, tag, caller, deps.clock.now())),
        );
      },
    );
    app.delete(
      '/workflows/:workflowId/properties/tag/:tagName',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Remove a workflow tag',
          params: workflowParams.extend({ tagName: z.string().min(1).max(128) }),
        },
      },
      async (request) => {
        const caller = callerOf(request);
        const { workflowId, tagName } = request.params;
        return snapshotView(
          await tx((t) => t.removeWorkflowTag(workflowId, tagName, caller, deps.clock.now())),
        );
      },
    );
    app.get(
      '/workflows/:workflowId/properties-snapshot/:snapshot',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: 'A properties snapshot: latest or its id',
          params: workflowParams.extend({ snapshot: z.string().regex(/^(latest|[1-9][0-9]{0,9})$/) }),
        },
      },
      async (request) => {
        const { workflowId, snapshot } = request.params;
        const found = await tx((t) =>
          t.getPropertiesSnapshot(workflowId, snapshot === 'latest' ? 'latest' : Number(snapshot)),
        );
        if (!found)
          throw new NotFoundError(`workflow '${workflowId}' has no properties snapshot ${snapshot}`);
        return snapshotView(found);
      },
    );

    app.get(
      '/workflows/:workflowId/overview',
      {
        config: { role: 'viewer' },
        schema: { tags, summary: 'Versions and instance counts by status', params: workflowParams },
      },
      async (request) => {
        const { workflowId } = request.params;
        const [workflow, counts, snapshot] = await tx(
          async (t) =>
            [
              await t.getWorkflow(workflowId),
              await t.countInstancesByStatus(workflowId),
              await t.getPropertiesSnapshot(workflowId, 'latest'),
            ] as const,
        );
        if (!workflow) throw new NotFoundError(`workflow '${workflowId}' does not exist`);
        const nonterminal = Object.fromEntries(
          Object.entries(counts).filter(
            ([s]) => !WORKFLOW_INSTANCE_TRAITS[s as WorkflowInstanceStatus].terminal,
          ),
        );
        return {
          workflow_id: workflowId,
          active_version_id: workflow.active_version_id,
          latest_version_id: workflow.latest_version_id,
          default_version_id: workflow.active_version_id || workflow.latest_version_id,
          ...(snapshot ? { properties_snapshot: snapshotView(snapshot) } : {}),
          ...(workflow.properties.step_concurrency === undefined
            ? {}
            : { step_concurrency: workflow.properties.step_concurrency }),
          nonterminal_instances: nonterminal,
          failed_instances: counts.FAILED ?? 0,
          latest_instance_id: workflow.latest_instance_id,
          instance_status_counts: counts,
        };
      },
    );
    app.get(
      '/workflows/:workflowId/timeline',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: "The workflow's changes, newest first (at most 300)",
          params: workflowParams,
        },
      },
      async (request) => {
        const { workflowId } = request.params;
        const [workflow, entries] = await tx(
          async (t) => [await t.getWorkflow(workflowId), await t.getWorkflowTimeline(workflowId)] as const,
        );
        if (!workflow) throw new NotFoundError(`workflow '${workflowId}' does not exist`);
        return entries.map(timelineEntryView);
      },
    );

    app.delete(
      '/workflows/:workflowId',
      {
        config: { role: 'admin' },
        schema: { tags, summary: 'Delete a workflow and all its data', params: workflowParams },
      },
      async (request) => {
        const caller = callerOf(request);
        await deps.engine.deleteWorkflow(request.params.workflowId);
        return event('DELETE', caller, `deleted workflow ${request.params.workflowId} and all its data`);
      },
    );

    app.put(
      '/workflows/:workflowId/actions/:action',
      {
        config: { role: 'operator', owner: true },
        schema: {
          tags,
          summary: 'Stop, kill or unblock every instance of the workflow that allows it',
          params: workflowParams.extend({ action: z.enum(['stop', 'kill', 'unblock']) }),
        },
      },
      async (request, reply) => {
        const { workflowId, action } = request.params;
        const caller = callerOf(request);
        const statuses: WorkflowInstanceStatus[] =
          action === 'unblock' ? ['FAILED'] : ['CREATED', 'IN_PROGRESS', 'PAUSED'];
        let done = 0;
        for (let after: number | undefined; ;) {
          const page = await tx((t) =>
            t.listInstances(
              workflowId,
              after === undefined ? { first: 100 } : { first: 100, after },
              statuses,
            ),
          );
          for (const run of page.rows) {
            try {
              if (action === 'unblock') await deps.engine.unblock(run);
              else await deps.engine.action(run, action.toUpperCase() as RunAction);
              done++;
            } catch (error) {
              // One that ended (or was unblocked) meanwhile is no reason to stop acting on the others.
              if (!(error instanceof Error && 'code' in error && error.code === 'ILLEGAL_STATE')) throw error;
            }
          }
          if (!page.hasMore) break;
          after = page.rows[page.rows.length - 1]!.instance_id;
        }
        const body = event(
          action.toUpperCase(),
          caller,
          `${action} applied to ${done} instance(s) of ${workflowId}`,
        );
        return reply.status(action === 'unblock' ? 200 : 202).send(body);
      },
    );
  };
}
