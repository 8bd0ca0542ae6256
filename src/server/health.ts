import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps, ApiOptions } from './api-deps.js';
import { errorBody } from './errors.js';

const DEFAULT_READY_TIMEOUT_MS = 2000;

/** Resolves with why the store is not ready, or undefined when it answered a trivial query within `ms`. */
async function storeProblem(deps: ApiDeps, ms: number): Promise<string | undefined> {
  let cancel: (() => void) | undefined;
  const late = new Promise<string>((resolve) => {
    cancel = deps.clock.setTimer(ms, () => resolve(`the store did not answer within ${ms} ms`));
  });
  const answer = deps.store
    .transact((tx) => tx.ping())
    .then(
      () => undefined,
      (error: unknown) =>
        `the store did not answer: ${error instanceof Error ? error.message : String(error)}`,
    );
  try {
    return await Promise.race([answer, late]);
  } finally {
    cancel?.();
  }
}

/**
 * `GET /healthz`: the process answers (liveness). `GET /readyz`: the store answers a trivial query within
 * `readyTimeoutMs` (readiness); 503 with the reason when it does not.
 */
export function healthRoutes(deps: ApiDeps, options: ApiOptions = {}): FastifyPluginAsync {
  return async (app) => {
    const tags = ['operations'];
    app.get('/healthz', { schema: { tags, summary: 'The process answers' } }, async () => ({ status: 'UP' }));
    app.get('/readyz', { schema: { tags, summary: 'The store answers' } }, async (request, reply) => {
      const problem = await storeProblem(deps, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
      if (problem === undefined) return { status: 'UP' };
      request.log.warn(problem);
      return reply.status(503).send(errorBody(503, [{ code: 'STORE_UNAVAILABLE', message: problem }]));
    });
  };
}
