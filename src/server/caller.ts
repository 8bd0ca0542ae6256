import type { FastifyRequest } from 'fastify';

/** Callers named by the auth hook (server/auth.ts): with authentication on, the token's name. */
const authenticated = new WeakMap<FastifyRequest, string>();

/** Names the caller of a request; from then on `callerOf` gives this name and ignores the `user` header. */
export function setCaller(request: FastifyRequest, name: string): void {
  authenticated.set(request, name);
}

/**
 * Who is calling. With authentication on, the name of the request's token (set by the auth hook). With it off (the
 * embedded single-user default) the `user` header names the caller, as in Maestro; absent, the caller is `anonymous`.
 */
export function callerOf(request: FastifyRequest): string {
  const known = authenticated.get(request);
  if (known !== undefined) return known;
  const header = request.headers['user'];
  const name = Array.isArray(header) ? header[0] : header;
  return name !== undefined && name.trim() !== '' ? name.trim().slice(0, 128) : 'anonymous';
}
