import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../model/errors.js';
import type { SignalAnnouncer } from '../../model/signal.js';
import type { SourceConfig, SourceOf } from '../../events/sources/config.js';
import { takeMessage } from '../../events/sources/intake.js';
import { text } from '../../events/sources/runner.js';
import { webhookMessage, webhookRefusal } from '../../events/sources/webhook.js';
import type { ApiDeps } from '../api-deps.js';
import { errorBody } from '../errors.js';
import { parkedPage, parkedQuery } from './parked-events.js';

/** What the webhooks need besides the store: the sources of the events file and the announcer. */
export interface WebhookSources {
  /** The `sources:` of the events file; webhooks are served for its `webhook` entries. */
  readonly config: readonly SourceConfig[];
  /** The one path by which signals enter Baton (`Baton.signals`). */
  readonly announcer: SignalAnnouncer;
}

type SignalSourceDeps = ApiDeps & { readonly sources?: WebhookSources };

const sourceParam = z.object({ source: z.string().min(1).max(128) });
const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * Signal sources over HTTP (Baton's; Maestro has none): the inbound webhook of each `webhook` source, and the
 * messages every source parked. The webhook is `public` for the token check — its HMAC signature is its
 * authentication (decision 0018) — and answers only after the signal is committed.
 */
export function signalSourceRoutes(deps: SignalSourceDeps): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    await app.register(webhookRoute(deps));
    app.get(
      '/signals/sources/:source/parked',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['signals'],
          summary: 'The messages a signal source parked (could not turn into a signal), oldest first',
          params: sourceParam,
          querystring: parkedQuery,
        },
      },
      async (request) => {
        const { source } = request.params;
        const { page, answer } = await parkedPage(request.query, (after, limit) =>
          deps.store.transact((tx) => tx.listParkedMessages(source, after, limit)),
        );
        return { ...answer, elements: page };
      },
    );
    app.delete(
      '/signals/sources/:source/parked/:id',
      {
        config: { role: 'operator' },
        schema: {
          tags: ['signals'],
          summary: 'Remove a parked message (it was looked at)',
          params: sourceParam.extend({ id: z.coerce.number().int().min(1) }),
        },
      },
      async (request) => {
        const { source, id } = request.params;
        const deleted = await deps.store.transact((tx) => tx.deleteParkedMessage(source, id));
        if (!deleted) throw new NotFoundError(`source '${source}' has no parked message ${id}`);
        return { source, id, deleted: true };
      },
    );
  };
}

/** The webhook route, in a context of its own: it reads the raw body, which the HMAC is computed over. */
function webhookRoute(deps: SignalSourceDeps): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.post(
      '/signals/sources/:source/webhook',
      {
        config: { role: 'public' },
        schema: {
          tags: ['signals'],
          summary:
            "Announce a signal from a webhook source's message (signed: Baton-Timestamp, Baton-Signature)",
          params: sourceParam,
        },
      },
      async (request, reply) => {
        const source = deps.sources?.config.find(
          (s): s is SourceOf<'webhook'> => s.name === request.params.source && s.type === 'webhook',
        );
        const announcer = deps.sources?.announcer;
        if (!source || !announcer)
          throw new NotFoundError(`there is no webhook source '${request.params.source}'`);
        const raw = typeof request.body === 'string' ? request.body : '';
        const h = request.headers;
        const refusal = webhookRefusal(
          source.secret,
          { timestamp: header(h['baton-timestamp']), signature: header(h['baton-signature']) },
          raw,
          deps.clock.now(),
        );
        if (refusal !== undefined)
          return reply.status(401).send(errorBody(401, [{ code: 'UNAUTHENTICATED', message: refusal }]));
        const eventId = header(h['baton-event-id']) ?? header(h['idempotency-key']);
        let outcome;
        try {
          outcome = await takeMessage(
            { ...deps, announcer, log: (line) => request.log.warn(line) },
            source,
            webhookMessage(source, raw, eventId),
          );
        } catch (error) {
          request.log.error(`source ${source.name}: signal not stored: ${text(error)}`);
          const message = 'the signal could not be stored for now; send the request again later';
          return reply.status(503).send(errorBody(503, [{ code: 'SERVICE_UNAVAILABLE', message }]));
        }
        if (outcome.kind === 'parked')
          throw new ValidationError(`the message was parked (#${outcome.parked.id}): ${outcome.reason}`, [
            { code: 'PARKED', path: [], message: outcome.reason },
          ]);
        return { status: outcome.announced.status, signal: outcome.announced.signal };
      },
    );
  };
}
