import type { FastifyPluginAsync } from 'fastify';
import { NotImplementedError } from '../../model/errors.js';

/**
 * Maestro endpoints whose features have not landed: each answers 501 with what is missing and which issue brings
 * it, never a success that did nothing. The issue that builds a feature replaces its entries here.
 */
const NOT_YET: readonly { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; why: string }[] = [
  {
    method: 'PUT',
    url: '/output-data',
    why: 'output data from external jobs comes with the step types that run them (issue #16)',
  },
  { method: 'POST', url: '/job-templates', why: 'job templates come with step types (issue #16)' },
  { method: 'POST', url: '/job-templates/yaml', why: 'job templates come with step types (issue #16)' },
  { method: 'GET', url: '/job-templates', why: 'job templates come with step types (issue #16)' },
  { method: 'GET', url: '/job-templates/:type', why: 'job templates come with step types (issue #16)' },
  { method: 'DELETE', url: '/job-templates/:type', why: 'job templates come with step types (issue #16)' },
  {
    method: 'GET',
    url: '/workflows/instances/inline-workflow-id',
    why: 'inline (foreach/while) instances come with dynamic workflows (issue #14)',
  },
  {
    method: 'GET',
    url: '/workflows/:workflowId/instances/:instanceId/inline-path',
    why: 'inline (foreach/while) instances come with dynamic workflows (issue #14)',
  },
];

export function notYetRoutes(): FastifyPluginAsync {
  return async (app) => {
    for (const { method, url, why } of NOT_YET) {
      app.route({
        method,
        url,
        // What the feature will need when it lands: reads a viewer, templates an admin, the rest an operator.
        config: {
          role: method === 'GET' ? 'viewer' : url.startsWith('/job-templates') ? 'admin' : 'operator',
        },
        schema: { tags: ['not built yet'], summary: `Not built yet: ${why}` },
        handler: async () => {
          throw new NotImplementedError(`${method} /api/v3${url} is not built yet: ${why}`);
        },
      });
    }
  };
}
