import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRunParams } from '../../dsl/run-params.js';
import { ValidationError } from '../../model/errors.js';
import type { JsonObject } from '../../model/json.js';
import type { ApiDeps, ApiOptions } from '../api-deps.js';
import { callerOf } from '../caller.js';
import { parseVersion, resolveVersion } from '../versions.js';
import { startResponseView } from '../views/run-views.js';
import { workflowDefinitionView } from '../views/workflow-views.js';

const workflowParams = z.object({ workflowId: z.string().min(1).max(128) });
const versionParams = workflowParams.extend({ version: z.string().min(1).max(32) });

/**
 * Maestro's WorkflowStartRequest. As in Maestro, an unknown key is refused (400); so are Maestro's keys whose features
 * Baton does not have yet (`runtime_tags`, `artifacts`, `step_selection`), rather than accepted and ignored.
 */
export const startRequestSchema = z
  .strictObject({
    initiator: z.looseObject({ type: z.string() }).optional(),
    request_id: z.string().min(1).max(128).optional(),
    request_time: z.number().optional(),
    run_params: z.record(z.string(), z.unknown()).optional(),
    persist_failed_run: z.boolean().optional(),
  })
  .meta({ id: 'WorkflowStartRequest' });

/** Workflows and their versions: read a version, start an instance of one. */
export function workflowRoutes(deps: ApiDeps, options: ApiOptions = {}): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const tags = ['workflows'];

    app.get(
      '/workflows/:workflowId/versions/:version',
      {
        schema: {
          tags,
          summary: 'A version of a workflow (a number, latest, active or default)',
          params: versionParams,
        },
      },
      async (request) => {
        const { workflowId, version } = request.params;
        const selector = parseVersion(version);
        const found = await deps.store.transact((tx) => resolveVersion(tx, workflowId, selector));
        return workflowDefinitionView(found.version, found.workflow);
      },
    );

    app.post(
      '/workflows/:workflowId/versions/:version/actions/start',
      {
        schema: {
          tags,
          summary: 'Start an instance of a version',
          params: versionParams,
          body: startRequestSchema.optional(),
        },
      },
      async (request, reply) => {
        const { workflowId, version } = request.params;
        const body = request.body ?? {};
        const initiator = initiatorOf(body.initiator, callerOf(request));
        const runParams = readRunParams(body.run_params, ['run_params'], options.limits);
        if (runParams.issues.length > 0) throw new ValidationError('bad run params', runParams.issues);
        const started = await deps.engine.startRun({
          workflow_id: workflowId,
          version: parseVersion(version),
          initiator,
          ...(runParams.params ? { run_param_definitions: runParams.params } : {}),
          ...(body.request_id === undefined ? {} : { request_id: body.request_id }),
        });
        return reply.status(started.status === 'DUPLICATED' ? 200 : 201).send(startResponseView(started));
      },
    );
  };
}

/** A start from the API is a MANUAL start by the caller (Maestro's quick start sends `{"type": "manual"}`). */
function initiatorOf(given: { type: string } | undefined, caller: string): JsonObject {
  const type = (given?.type ?? 'MANUAL').toUpperCase();
  if (type !== 'MANUAL') {
    throw new ValidationError('bad initiator', [
      {
        code: 'INVALID_VALUE',
        path: ['initiator', 'type'],
        message: `a start through the API is MANUAL; '${given?.type}' starts come from Baton itself (triggers, parent steps)`,
      },
    ]);
  }
  return { type, user: { name: caller } };
}
