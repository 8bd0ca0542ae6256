import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../model/errors.js';
import type { ApiDeps } from '../api-deps.js';

/** `?first=N&cursor=ID` of a parked listing (events of a sink, messages of a signal source). */
export const parkedQuery = z.object({
  first: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z
    .string()
    .regex(/^[0-9]{1,15}$/)
    .optional(),
});

/**
 * Events a sink refused for good (a webhook's 4xx, an event over the size limit), parked with the reason instead of
 * retried forever: the relay's dead letters (identity and status only, as every event: a viewer may read them) (Baton's; Maestro has no event sinks of its own).
 */
export function parkedEventRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/events/sinks/:sink/parked',
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['events'],
          summary: "A sink's parked events, oldest first",
          params: z.object({ sink: z.string().min(1).max(128) }),
          querystring: parkedQuery,
        },
      },
      async (request) => {
        const { sink } = request.params;
        const { page, answer } = await parkedPage(request.query, (after, limit) =>
          deps.store.transact((tx) => tx.listParked(sink, after, limit)),
        );
        return {
          ...answer,
          elements: page.map((d) => ({
            id: d.id,
            type: d.type,
            event: d.payload,
            create_time: d.create_time,
            attempts: d.attempts,
            ...(d.parked_at === undefined ? {} : { parked_at: d.parked_at }),
            ...(d.last_error === undefined ? {} : { reason: d.last_error }),
          })),
        };
      },
    );
    app.post(
      '/events/sinks/:sink/parked/:id/actions/resend',
      {
        config: { role: 'operator' },
        schema: {
          tags: ['events'],
          summary: "Put a parked event back in its sink's queue (its receiver was fixed)",
          params: z.object({ sink: z.string().min(1).max(128), id: z.coerce.number().int().min(1) }),
        },
      },
      async (request) => {
        const { sink, id } = request.params;
        const resent = await deps.store.transact((tx) => tx.resendParked(sink, id));
        if (!resent) throw new NotFoundError(`sink '${sink}' has no parked event ${id}`);
        return { sink, id, resent: true };
      },
    );
  };
}

/**
 * One page of a parked listing, oldest first after the cursor: reads one row more than the page to tell whether
 * another page follows, and answers Maestro's page shape (`elements` to be filled by the caller).
 */
export async function parkedPage<T extends { readonly id: number }>(
  query: z.infer<typeof parkedQuery>,
  read: (afterId: number, limit: number) => Promise<T[]>,
): Promise<{ page: T[]; answer: { page_info: object; total_count: null } }> {
  const after = query.cursor === undefined ? 0 : Number(query.cursor);
  const rows = await read(after, query.first + 1);
  const page = rows.slice(0, query.first);
  const last = page[page.length - 1];
  const page_info = {
    start_cursor: page[0] === undefined ? null : String(page[0].id),
    end_cursor: last === undefined ? null : String(last.id),
    has_previous_page: after > 0,
    has_next_page: rows.length > query.first,
  };
  return { page, answer: { page_info, total_count: null } };
}
