import { hostname } from 'node:os';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { planOf } from '../../engine/plan.js';
import type { LoadedRun } from '../../engine/run-record.js';
import type { StepState } from '../../engine/state.js';
import { NotFoundError } from '../../model/errors.js';
import { STEP_STATUS_TRAITS, WORKFLOW_INSTANCE_TRAITS } from '../../model/status.js';
import { LOG_STREAMS, STEP_LOG_FILES } from '../../steps/log-files.js';
import type { ApiDeps, ApiOptions } from '../api-deps.js';
import { lookUpRun } from '../run-lookup.js';
import { watchRun } from '../run-watch.js';
import { attemptLogFile, LogFollower, readFrom, sizeOf, tailOffset } from '../step-log-files.js';
import { DEFAULT_LIVE_POLL_MS } from './live.js';

// Ids as definitions allow them (dsl/validate/identifiers.ts): no slash, and no leading dot, so never `..`.
const logParams = z.object({
  workflowId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[_a-zA-Z0-9][.\-_a-zA-Z0-9]*$/),
  instanceId: z.coerce.number().int().min(1),
  run: z.string().regex(/^(latest|[1-9][0-9]{0,8})$/),
  stepId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[_a-zA-Z][.\-_a-zA-Z0-9]*$/),
  attempt: z.string().regex(/^(latest|[1-9][0-9]{0,8})$/),
});
const logQuery = z.object({
  tail: z.coerce.number().int().min(1).max(100_000).optional(),
  follow: z.enum(['true', 'false']).optional(),
  stream: z.enum(LOG_STREAMS).optional(),
});

/** How often a followed log's file is looked at for more. */
const FOLLOW_FILE_POLL_MS = 200;

/** The attempt `n` of a step, as far as its state tells: ended or not, and the process that ran it. */
function attemptOf(step: StepState, n: number, run: LoadedRun): { ended: boolean; worker?: string } {
  if (n === step.attempt) {
    const ended =
      STEP_STATUS_TRAITS[step.status].terminal || WORKFLOW_INSTANCE_TRAITS[run.run.status].terminal;
    return { ended, ...(step.worker === undefined ? {} : { worker: step.worker }) };
  }
  const past = step.history?.find((h) => h.attempt === n);
  return { ended: true, ...(past?.worker === undefined ? {} : { worker: past.worker }) };
}

/** `host:pid:random` (the engine's owner name) → host. */
const hostOf = (worker: string): string => worker.split(':')[0] ?? worker;

/**
 * `GET …/steps/{sid}/attempts/{n|latest}/logs`: an attempt's log as text, from the folder this process's steps write
 * to (`logDir`); `tail=N` for its last N lines, `follow=true` to receive what is appended until the attempt ends.
 */
export function logRoutes(deps: ApiDeps, options: ApiOptions = {}): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const following = new Set<LogFollower>();
    app.addHook('preClose', async () => {
      for (const follower of following) follower.end();
    });
    app.get(
      '/workflows/:workflowId/instances/:instanceId/runs/:run/steps/:stepId/attempts/:attempt/logs',
      {
        schema: {
          tags: ['steps'],
          summary: "A step attempt's log (stdout, or stderr) as text: all of it, its tail, or followed",
          params: logParams,
          querystring: logQuery,
        },
      },
      async (request, reply) => {
        const { workflowId, instanceId, run, stepId } = request.params;
        const { tail, follow, stream = 'stdout' } = request.query;
        const logDir = options.logDir;
        if (logDir === undefined)
          throw new NotFoundError('this server keeps no step logs (it runs no steps)');
        const loaded = await lookUpRun(deps, workflowId, instanceId, run);
        const step = loaded.state.steps[stepId];
        if (!step) throw new NotFoundError(`run ${loaded.run.run_id} has no step '${stepId}' (yet)`);
        const n = request.params.attempt === 'latest' ? step.attempt : Number(request.params.attempt);
        if (n > step.attempt)
          throw new NotFoundError(`step '${stepId}' has no attempt ${n} (its latest is ${step.attempt})`);
        const def = planOf(await deps.engine.definition(workflowId, loaded.run.version_id)).steps.get(stepId);
        const type = def?.kind === 'step' ? def.type : undefined;
        const name = type === undefined ? undefined : STEP_LOG_FILES[type][stream];
        if (name === undefined)
          throw new NotFoundError(
            `step '${stepId}' (${type ?? def?.kind ?? 'unknown'}) writes no ${stream} log: only Shell steps write logs`,
          );
        const file = attemptLogFile(logDir, loaded.run, stepId, n, name);
        const attempt = attemptOf(step, n, loaded);
        const size = await sizeOf(file);
        if (size === undefined) {
          if (attempt.worker !== undefined && hostOf(attempt.worker) !== hostname())
            throw new NotFoundError(
              `the log of attempt ${n} of step '${stepId}' is on worker ${attempt.worker}, not on this host (${hostname()}): logs stay where the step ran`,
            );
          if (attempt.ended || follow !== 'true')
            throw new NotFoundError(
              `attempt ${n} of step '${stepId}' has no ${stream} log here${attempt.ended ? '' : ' yet'}: logs stay on the worker that runs the step`,
            );
        }
        const from = size === undefined || tail === undefined ? 0 : await tailOffset(file, tail);
        reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-cache');
        if (follow !== 'true' || attempt.ended) return reply.send(readFrom(file, from));
        return reply.send(followLog(deps, options, loaded, stepId, n, file, from, following).body);
      },
    );
  };
}

/** Follows the file until attempt `n` of the step ends (seen as the run's versions move on, see `watchRun`). */
function followLog(
  deps: ApiDeps,
  options: ApiOptions,
  loaded: LoadedRun,
  stepId: string,
  n: number,
  file: string,
  from: number,
  following: Set<LogFollower>,
): LogFollower {
  let stop = (): void => undefined;
  const follower = new LogFollower(deps.clock, { pollMs: FOLLOW_FILE_POLL_MS }, file, from, () => {
    following.delete(follower);
    stop();
  });
  following.add(follower);
  const watcher = watchRun(
    deps,
    { pollMs: options.livePollMs ?? DEFAULT_LIVE_POLL_MS },
    loaded.run,
    loaded.run.version,
    {
      onRun(newer) {
        const step = newer.state.steps[stepId];
        if (step !== undefined && !attemptOf(step, n, newer).ended) return;
        watcher.stop();
        follower.finish();
      },
      onError: () => follower.end(),
    },
  );
  stop = () => watcher.stop();
  return follower;
}
