import type { RouteOptions } from 'fastify';
import type { TokenRole } from '../store/port.js';

/**
 * Who may call a route: `public` (anyone, no token), or the least token role it needs. Roles include the ones
 * before them: a viewer reads, an operator also changes runs, an admin also changes definitions, permits, templates
 * and tokens.
 */
export const ACCESS_LEVELS = ['public', 'viewer', 'operator', 'admin'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a caller needs for this route (server/auth.ts); every route under /api/v3 must say. */
    role?: Access;
    /**
     * The owner of the workflow in the path (`:workflowId`, its `properties.owner`) may call this route as an
     * operator whatever the role of their token. Only on routes that need `operator`.
     */
    owner?: boolean;
  }
}

/** The prefix under which every route must declare its role; building the app fails for one that does not. */
export const API_PREFIX = '/api/v3';

export function rank(level: Access | TokenRole): number {
  return ACCESS_LEVELS.indexOf(level);
}

/**
 * The access a route declares, checked when it is added. A route under /api/v3 without `config.role` (or with an
 * unknown one) is a mistake in Baton, so building the app fails, naming the route: a new endpoint cannot forget to
 * say who may call it. Routes elsewhere that say nothing (the OpenAPI pages at /api/docs, added by a plugin) need a
 * viewer: closed unless declared open.
 */
export function declaredAccess(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): {
  role: Access;
  owner: boolean;
} {
  const config = (route.config ?? {}) as { role?: unknown; owner?: unknown };
  const where = `${String(route.method)} ${route.url}`;
  if (config.role === undefined) {
    if (route.url.startsWith(API_PREFIX)) {
      throw new TypeError(
        `route ${where} declares no role: add config: { role: 'viewer' | 'operator' | 'admin' } (server/access.ts)`,
      );
    }
    return { role: 'viewer', owner: false };
  }
  if (!(ACCESS_LEVELS as readonly unknown[]).includes(config.role)) {
    throw new TypeError(
      `route ${where} declares role '${String(config.role)}'; use one of ${ACCESS_LEVELS.join(', ')}`,
    );
  }
  const owner = config.owner === true;
  if (owner && (config.role !== 'operator' || !route.url.includes(':workflowId'))) {
    throw new TypeError(`route ${where}: owner: true needs role 'operator' and a :workflowId in the path`);
  }
  return { role: config.role as Access, owner };
}
