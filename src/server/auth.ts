import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenRecord } from '../store/port.js';
import { declaredAccess, rank } from './access.js';
import type { ApiDeps } from './api-deps.js';
import { setCaller } from './caller.js';
import { errorBody } from './errors.js';
import { createOwnerCache } from './owner-cache.js';
import { verifyToken } from './tokens.js';

/** `off`: the `user` header names the caller and everything is allowed. `on`: every request needs a token. */
export interface AuthOptions {
  readonly mode: 'off' | 'on';
}

/** A route as added, with the access it declared. */
export interface DeclaredRoute extends ReturnType<typeof declaredAccess> {
  readonly method: string;
  readonly url: string;
}

const DECLARED = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every route of an app built with `installAuth`, with who may call it (for tests and the docs' table). */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return DECLARED.get(app) ?? [];
}

/** A token's last use is written at most this often (a write per request would make every read a write). */
export const TOUCH_EVERY_MS = 60_000;

/**
 * Reads `BATON_AUTH` (`on` or `off`, default off) as the API's auth options; anything else is an error to report.
 *
 * @example
 *   const auth = authOptionsFromEnv(process.env); // { mode: 'on' } when BATON_AUTH=on
 */
export function authOptionsFromEnv(env: NodeJS.ProcessEnv): AuthOptions | { error: string } {
  const value = (env['BATON_AUTH'] ?? 'off').trim().toLowerCase();
  if (value === 'on' || value === 'off' || value === '') return { mode: value === 'on' ? 'on' : 'off' };
  return { error: `BATON_AUTH must be 'on' or 'off', not '${env['BATON_AUTH']}'` };
}

/**
 * Authentication and roles for every route of the app. Install it before any route: it checks, as each route is
 * added, that the route declares who may call it (`config.role`, server/access.ts), so building the app fails for
 * an endpoint that forgot. With auth on, an `onRequest` hook answers 401 to a request without a valid token (missing,
 * unknown, revoked) and 403 to a token whose role is too low, before the body is read; the caller is then the
 * token's name. Secrets stay out of the log: the Authorization header is redacted and never echoed.
 */
export function installAuth(app: FastifyInstance, deps: ApiDeps, options: AuthOptions): void {
  const declared: DeclaredRoute[] = [];
  DECLARED.set(app, declared);
  app.addHook('onRoute', (route) => {
    const access = declaredAccess(route);
    for (const method of [route.method].flat()) declared.push({ method, url: route.url, ...access });
  });
  if (options.mode === 'off') return;

  const owners = createOwnerCache(deps);
  const touched = new Map<string, number>();

  app.addHook('onRequest', async (request, reply) => {
    const { role: needed, owner: ownerMay } = accessOf(request);
    if (needed === 'public') {
      setCaller(request, 'anonymous');
      return;
    }
    const token = bearerOf(request);
    const record = token === undefined ? undefined : await verifyToken(deps.store, token);
    if (!record) return deny(reply, 401, token === undefined ? MISSING : INVALID);
    setCaller(request, record.name);
    await touch(record);
    if (rank(record.role) >= rank(needed)) return;
    const workflowId = (request.params as { workflowId?: unknown } | undefined)?.workflowId;
    if (ownerMay && typeof workflowId === 'string' && (await owners.ownerOf(workflowId)) === record.name)
      return;
    return deny(
      reply,
      403,
      `this endpoint needs the ${needed} role${ownerMay ? " or the workflow's owner" : ''}; ` +
        `token ${record.id} (${record.name}) has the ${record.role} role`,
    );
  });

  // A change through this process may change a workflow's owner: forget it now rather than in OWNER_CACHE_MS.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 400) return;
    const workflowId = (request.params as { workflowId?: unknown } | undefined)?.workflowId;
    owners.forget(typeof workflowId === 'string' ? workflowId : undefined);
  });

  async function touch(record: TokenRecord): Promise<void> {
    const now = deps.clock.now();
    if (now - (touched.get(record.id) ?? -Infinity) < TOUCH_EVERY_MS) return;
    touched.set(record.id, now);
    await deps.store.transact((tx) => tx.touchToken(record.id, now));
  }
}

const MISSING =
  'this endpoint needs a token: send the header Authorization: Bearer <token> (an admin makes one with baton token create)';
const INVALID = 'the bearer token is not valid: it is malformed, unknown or revoked';

function accessOf(request: FastifyRequest): ReturnType<typeof declaredAccess> {
  const url = request.routeOptions.url;
  // No route matched (the 404 answer): it needs what a read needs, so it tells a stranger nothing about the API.
  if (url === undefined) return { role: 'viewer', owner: false };
  return declaredAccess({ method: request.method, url, config: request.routeOptions.config });
}

/** The token of `Authorization: Bearer <token>`; undefined when there is no such header. */
function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  // A header that is there but is no bearer token is a bad token, not a missing one.
  return match ? match[1]! : '';
}

function deny(reply: FastifyReply, status: 401 | 403, message: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="baton"');
  return reply
    .status(status)
    .send(errorBody(status, [{ code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message }]));
}
