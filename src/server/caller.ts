import type { FastifyRequest } from 'fastify';

/**
 * Who is calling. With authentication off (the embedded single-user default) the `user` header names the caller,
 * as in Maestro; absent, the caller is `anonymous`.
 */
export function callerOf(request: FastifyRequest): string {
  const header = request.headers['user'];
  const name = Array.isArray(header) ? header[0] : header;
  return name !== undefined && name.trim() !== '' ? name.trim().slice(0, 128) : 'anonymous';
}
