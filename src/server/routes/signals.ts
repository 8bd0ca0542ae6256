import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../model/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../model/json.js';
import type { SignalAnnouncement, SignalInstance } from '../../model/signal.js';
import { createSignalAnnouncer } from '../../signals/announce.js';
import type { ApiDeps } from '../api-deps.js';
import { idCursor, pageQuery, pageRequest, paginationResult } from '../pagination.js';

const nameParams = z.object({ name: z.string().min(1).max(256) });
const seqParams = nameParams.extend({ seq: z.string().min(1).max(32) });
const workflowParams = z.object({ workflowId: z.string().min(1).max(128) });

/** The keys of Maestro's SignalCreateRequest; every other key of the body is the signal's payload. */
const REQUEST_KEYS = new Set(['name', 'params', 'request_id', 'request_time']);

/** Maestro's request (`{name, params?, request_id?, request_time?, ...payload}`) as an announcement. */
function announcementOf(body: unknown): SignalAnnouncement {
  if (!isJsonObject(body)) return body as SignalAnnouncement; // the announcer says what is wrong with it
  const request: Record<string, JsonValue> = {};
  const payload: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(body)) (REQUEST_KEYS.has(key) ? request : payload)[key] = value;
  return { ...request, payload } as unknown as SignalAnnouncement;
}

/** A stored instance as the API shows it (Maestro's SignalInstance). */
export function signalView(signal: SignalInstance): JsonObject {
  return { ...signal, params: { ...signal.params }, payload: signal.payload };
}

function parseSeq(seq: string): number | 'latest' {
  if (seq.toLowerCase() === 'latest') return 'latest';
  if (/^[0-9]{1,15}$/.test(seq) && Number(seq) > 0) return Number(seq);
  throw new NotFoundError(`'${seq.slice(0, 40)}' is not a signal seq id: give a number from 1, or latest`);
}

/** Signals (REFERENCE §7.2, §8.2): announce one, read an instance, list a name's instances. */
export function signalRoutes(deps: ApiDeps): FastifyPluginAsync {
  const announcer = createSignalAnnouncer(deps);
  const tx = deps.store.transact.bind(deps.store);
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const tags = ['signals'];

    app.post(
      '/signals',
      { config: { role: 'operator' }, schema: { tags, summary: 'Announce a signal (201; 200 DUPLICATED)' } },
      async (request, reply) => {
        const { status, signal } = await announcer.announce(announcementOf(request.body));
        return reply.status(status === 'CREATED' ? 201 : 200).send({ ...signalView(signal), status });
      },
    );

    app.get(
      '/signals/:name/instances/:seq',
      {
        config: { role: 'viewer' },
        schema: { tags, summary: 'A signal instance by seq id, or the latest', params: seqParams },
      },
      async (request) => {
        const { name, seq } = request.params;
        const signal = await tx((t) => t.getSignal(name, parseSeq(seq)));
        if (!signal) throw new NotFoundError(`signal '${name}' has no instance ${seq}`);
        return signalView(signal);
      },
    );

    app.get(
      '/signals/:name/instances',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: 'Instances of a signal, newest first',
          params: nameParams,
          querystring: pageQuery,
        },
      },
      async (request) => {
        const { name } = request.params;
        const query =
          request.query.first === undefined && request.query.last === undefined
            ? { ...request.query, first: 20 }
            : request.query;
        const page = pageRequest(query, idCursor);
        const result = await tx((t) => t.listSignals(name, page));
        return paginationResult(
          result,
          page,
          (s) => s.seq_id,
          (r) => tx((t) => t.listSignals(name, r)),
          signalView,
          null,
        );
      },
    );

    app.get(
      '/workflows/:workflowId/signal-triggers',
      {
        config: { role: 'viewer' },
        schema: {
          tags,
          summary: "A workflow's signal trigger subscriptions, with each signal's checkpoint (Baton)",
          params: workflowParams,
        },
      },
      async (request) => {
        const { workflowId } = request.params;
        return tx(async (t) => {
          if (!(await t.getWorkflow(workflowId)))
            throw new NotFoundError(`workflow '${workflowId}' does not exist`);
          const subscriptions = await t.listSignalTriggers(workflowId);
          return {
            workflow_id: workflowId,
            signal_triggers: subscriptions.map(({ workflow_id: _w, ...s }) => s),
          };
        });
      },
    );
  };
}
