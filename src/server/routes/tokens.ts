import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../model/errors.js';
import { TOKEN_ROLES } from '../../store/port.js';
import type { ApiDeps } from '../api-deps.js';
import { createApiToken, tokenView } from '../tokens.js';

const tokenRequestSchema = z
  .object({ name: z.string().min(1).max(128), role: z.enum(TOKEN_ROLES) })
  .meta({ id: 'TokenCreateRequest' });
const tokenParams = z.object({ id: z.string().min(1).max(64) });

/**
 * API tokens, for admins: make one (its secret is in this one answer and nowhere else, ever), list them (without
 * secrets), revoke one. `baton token create --db` makes the first admin token, before any exists.
 */
export function tokenRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const tags = ['tokens'];
    const config = { role: 'admin' } as const;

    app.post(
      '/tokens',
      {
        config,
        schema: { tags, summary: 'Make a token (its secret is shown once)', body: tokenRequestSchema },
      },
      async (request, reply) => {
        const { record, token } = await createApiToken(deps, request.body);
        return reply.status(201).send({ ...tokenView(record), token });
      },
    );
    app.get('/tokens', { config, schema: { tags, summary: 'Every token, without secrets' } }, async () => {
      const records = await deps.store.transact((tx) => tx.listTokens());
      return { tokens: records.map(tokenView) };
    });
    app.delete(
      '/tokens/:id',
      { config, schema: { tags, summary: 'Revoke a token for good', params: tokenParams } },
      async (request) => {
        const { id } = request.params;
        const now = deps.clock.now();
        const record = await deps.store.transact(async (tx) => {
          await tx.revokeToken(id, now);
          return tx.getToken(id);
        });
        if (!record) throw new NotFoundError(`there is no token '${id}'`);
        return tokenView(record);
      },
    );
  };
}
