import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ApiDeps, ApiOptions } from './api-deps.js';
import { installAuth } from './auth.js';
import { installErrorHandlers } from './errors.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import { definitionRoutes } from './routes/definitions.js';
import { instanceRoutes } from './routes/instances.js';
import { listRoutes } from './routes/lists.js';
import { notYetRoutes } from './routes/not-yet.js';
import { signalRoutes } from './routes/signals.js';
import { parkedEventRoutes } from './routes/parked-events.js';
import { permitRoutes } from './routes/permits.js';
import { signalSourceRoutes } from './routes/signal-sources.js';
import { signalLineageRoutes } from './routes/signal-lineage.js';
import { stepRoutes } from './routes/steps.js';
import { tokenRoutes } from './routes/tokens.js';
import { workflowAdminRoutes } from './routes/workflow-admin.js';
import { liveRoutes } from './routes/live.js';
import { logRoutes } from './routes/logs.js';
import { workflowRoutes } from './routes/workflows.js';

/** 1 MiB: a definition of 300 steps with their params fits many times over. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Baton's HTTP API: Maestro's `/api/v3` endpoints in Maestro's request and response shapes, with every error as
 * `{"errors": [...]}` and the OpenAPI document at `/api/docs`. Routes change things only through the engine.
 */
export async function buildApi(deps: ApiDeps, options: ApiOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logger: options.logger ?? false,
    // Maestro's ids may hold dots and dashes; a trailing slash is the same route.
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  installAuth(app, deps, options.auth ?? { mode: 'off' });
  // Action endpoints (PUT .../actions/stop) take no body, and clients often send an empty one as JSON anyway.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, undefined) : json(request, String(body), done),
  );
  await app.register(swagger, {
    openapi: {
      info: { title: 'Baton API', version: '3', description: "Maestro's /api/v3 REST API, served by Baton" },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(definitionRoutes(deps, options), { prefix: '/api/v3' });
  await app.register(workflowRoutes(deps, options), { prefix: '/api/v3' });
  await app.register(instanceRoutes(deps, options), { prefix: '/api/v3' });
  await app.register(tokenRoutes(deps), { prefix: '/api/v3' });
  await app.register(stepRoutes(deps), { prefix: '/api/v3' });
  await app.register(signalLineageRoutes(deps), { prefix: '/api/v3' });
  await app.register(permitRoutes(deps), { prefix: '/api/v3' });
  await app.register(workflowAdminRoutes(deps, options), { prefix: '/api/v3' });
  await app.register(listRoutes(deps), { prefix: '/api/v3' });
  await app.register(notYetRoutes(), { prefix: '/api/v3' });
  await app.register(signalRoutes(deps), { prefix: '/api/v3' });
  await app.register(liveRoutes(deps, options), { prefix: '/api/v3' });
  await app.register(logRoutes(deps, options), { prefix: '/api/v3' });
  await app.register(parkedEventRoutes(deps), { prefix: '/api/v3' });
  await app.register(
    signalSourceRoutes({ ...deps, ...(options.sources ? { sources: options.sources } : {}) }),
    {
      prefix: '/api/v3',
    },
  );
  await app.register(metricsRoutes(deps, options));
  await app.register(healthRoutes(deps, options));
  return app;
}
