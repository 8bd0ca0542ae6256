import type { FastifyPluginAsync } from 'fastify';
import { parseDefinitionText } from '../../dsl/parse.js';
import { createRequestSchema } from '../../dsl/wire-schema.js';
import { ValidationError } from '../../model/errors.js';
import type { ApiDeps, ApiOptions } from '../api-deps.js';
import { callerOf } from '../caller.js';
import { issueToApiError } from '../errors.js';
import { workflowDefinitionView } from '../views/workflow-views.js';

const TEXT_TYPES = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'];

/**
 * Endpoints whose body is a definition: read as text by the same code as definition files (`parseDefinitionText`),
 * so a mistake is reported with its line and column and the API and `baton validate` never disagree.
 */
export function definitionRoutes(deps: ApiDeps, options: ApiOptions): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(TEXT_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

    const read = (body: unknown, format: 'json' | 'yaml') => {
      const text = typeof body === 'string' ? body : '';
      const result = parseDefinitionText(text, {
        format,
        ...(options.limits ? { limits: options.limits } : {}),
      });
      if (result.jobTemplate) {
        throw new ValidationError('a job template is not a workflow', [
          {
            code: 'WRONG_ENDPOINT',
            path: [],
            message: 'this is a job template; send it to /api/v3/job-templates',
          },
        ]);
      }
      if (result.issues.length > 0 || !result.workflow) {
        throw new ValidationError('the workflow definition is not valid', result.issues);
      }
      return { workflow: result.workflow, warnings: (result.warnings ?? []).map(issueToApiError) };
    };

    const create =
      (format: 'json' | 'yaml') => async (request: { body: unknown } & Parameters<typeof callerOf>[0]) => {
        const { workflow, warnings } = read(request.body, format);
        const version = await deps.engine.createWorkflow(workflow, callerOf(request));
        const stored = await deps.store.transact((tx) => tx.getWorkflow(version.workflow_id));
        return {
          workflow_definition: workflowDefinitionView(version, stored),
          ...(warnings.length > 0 ? { warnings } : {}),
        };
      };

    const validate = (format: 'json' | 'yaml') => async (request: { body: unknown }) => {
      const { warnings } = read(request.body, format);
      return { valid: true, ...(warnings.length > 0 ? { warnings } : {}) };
    };

    const tags = ['workflows'];
    // Pushing a definition is an admin's; validating one changes nothing, so a viewer may.
    const push = { role: 'admin' } as const;
    const check = { role: 'viewer' } as const;
    // The body is documented with the wire schema (the OpenAPI document shows its structure) but validated by
    // parseDefinitionText, with positions: Fastify's own validation of it is turned off.
    const documented = { body: createRequestSchema };
    const noValidation = { validatorCompiler: () => (value: unknown) => ({ value }) };
    app.post(
      '/workflows',
      {
        config: push,
        ...noValidation,
        schema: { tags, summary: 'Create a workflow version (JSON)', ...documented },
      },
      create('json'),
    );
    app.post(
      '/workflows/yaml',
      { config: push, schema: { tags, summary: 'Create a workflow version (YAML or Maestro DSL)' } },
      create('yaml'),
    );
    app.put(
      '/workflows/actions/validate',
      {
        config: check,
        ...noValidation,
        schema: { tags, summary: 'Validate a definition (JSON)', ...documented },
      },
      validate('json'),
    );
    app.put(
      '/workflows/actions/validate/yaml',
      { config: check, schema: { tags, summary: 'Validate a definition (YAML or Maestro DSL)' } },
      validate('yaml'),
    );
  };
}
