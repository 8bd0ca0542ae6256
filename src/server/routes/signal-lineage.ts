import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../model/errors.js';
import { signalLineage } from '../../signals/lineage.js';
import type { ApiDeps } from '../api-deps.js';

const lineageParams = z.object({
  // A signal name may hold slashes (`prod_db/foo/bar`): the client sends it as one encoded segment.
  name: z.string().min(1).max(256),
  seq: z.string().regex(/^(latest|[1-9][0-9]*)$/i),
});

/**
 * A signal instance's lineage (REFERENCE §7.4): the step that produced it (`signal_source`), the runs it started
 * (signal triggers) and the step dependencies it released.
 */
export function signalLineageRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/signals/:name/instances/:seq/lineage',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['signals'],
          summary: 'What produced a signal instance, which runs it started and which steps it released',
          params: lineageParams,
        },
      },
      async (request) => {
        const { name, seq } = request.params;
        const which = seq.toLowerCase() === 'latest' ? 'latest' : Number(seq);
        const lineage = await deps.store.transact((tx) => signalLineage(tx, name, which));
        if (!lineage) throw new NotFoundError(`signal '${name}' has no instance ${seq}`);
        return lineage;
      },
    );
  };
}
