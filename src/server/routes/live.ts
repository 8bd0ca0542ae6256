import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps, ApiOptions } from '../api-deps.js';
import { LiveStream } from '../live-stream.js';
import { lookUpRun } from '../run-lookup.js';
import { watchRun } from '../run-watch.js';

const runParams = z.object({
  workflowId: z.string().min(1).max(128),
  instanceId: z.coerce.number().int().min(1),
  run: z.string().regex(/^(latest|[1-9][0-9]{0,8})$/),
});

export const DEFAULT_LIVE_POLL_MS = 1000;
const DEFAULT_KEEP_ALIVE_MS = 15_000;

/**
 * `GET …/runs/{run}/events`: a run's status changes as server-sent events (see views/live-events.ts for the events).
 * Changes this process commits arrive at once; those of other processes on the same database within `livePollMs`.
 * Streams still open when the server closes are ended first, so closing never waits for a client.
 */
export function liveRoutes(deps: ApiDeps, options: ApiOptions = {}): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const open = new Set<LiveStream>();
    app.addHook('preClose', async () => {
      for (const stream of open) stream.end();
    });
    app.get(
      '/workflows/:workflowId/instances/:instanceId/runs/:run/events',
      {
        schema: {
          tags: ['instances'],
          summary: "A run's status changes as server-sent events, until it ends",
          params: runParams,
        },
      },
      async (request, reply) => {
        const { workflowId, instanceId, run } = request.params;
        const first = await lookUpRun(deps, workflowId, instanceId, run);
        let stop = (): void => undefined;
        const stream = new LiveStream(
          deps.clock,
          { keepAliveMs: options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS },
          first,
          () => {
            open.delete(stream);
            stop();
          },
        );
        if (!stream.body.writableEnded) {
          open.add(stream);
          const watcher = watchRun(
            deps,
            { pollMs: options.livePollMs ?? DEFAULT_LIVE_POLL_MS },
            first.run,
            first.run.version,
            {
              onRun: (loaded) => stream.offer(loaded),
              onError: (error) => {
                request.log.error({ err: error }, 'live stream: reading the run failed');
                stream.end();
              },
            },
          );
          stop = () => watcher.stop();
        }
        return reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('x-accel-buffering', 'no')
          .send(stream.body);
      },
    );
  };
}
