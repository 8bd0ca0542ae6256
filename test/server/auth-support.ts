import type { FastifyInstance, InjectOptions } from 'fastify';
import type { TokenRole } from '../../src/store/port.js';
import { loggerOptions } from '../../src/server/logger.js';
import { createApiToken } from '../../src/server/tokens.js';
import { openApi, type ApiHarness } from './api-harness.js';

/** A Baton with auth on, a token per role (and one of a viewer who owns `wf-owned`), and two workflows. */
export interface AuthWorld {
  readonly api: ApiHarness;
  readonly app: FastifyInstance;
  /** Bearer tokens by who holds them. */
  readonly tokens: Readonly<Record<'viewer' | 'operator' | 'admin' | 'owner', string>>;
  /** The header of a token (no header for undefined). */
  as(token: string | undefined): Record<string, string>;
}

/** A one-step workflow owned by `owner`, as JSON text. */
export function workflowJson(id: string, owner: string, params: object = {}): string {
  return JSON.stringify({
    properties: { owner },
    workflow: { id, params, steps: [{ step: { id: 'a', type: 'NoOp' } }] },
  });
}

export async function openAuthWorld(
  logStream?: { write(line: string): void },
  beforeReady?: (app: FastifyInstance) => void,
): Promise<AuthWorld> {
  const api = await openApi({
    auth: { mode: 'on' },
    ...(logStream ? { logger: loggerOptions('info', logStream) } : {}),
  });
  beforeReady?.(api.app);
  const deps = { store: api.baton.store, clock: api.baton.clock };
  const make = async (name: string, role: TokenRole) => (await createApiToken(deps, { name, role })).token;
  const tokens = {
    viewer: await make('vera', 'viewer'),
    operator: await make('oscar', 'operator'),
    admin: await make('ada', 'admin'),
    owner: await make('olga', 'viewer'),
  };
  const as = (token: string | undefined): Record<string, string> =>
    token === undefined ? {} : { authorization: `Bearer ${token}` };
  for (const [id, owner] of [
    ['wf-owned', 'olga'],
    ['wf-other', 'alice'],
  ] as const) {
    const pushed = await api.app.inject({
      method: 'POST',
      url: '/api/v3/workflows',
      headers: { ...as(tokens.admin), 'content-type': 'application/json' },
      payload: workflowJson(id, owner),
    });
    if (pushed.statusCode !== 200) throw new Error(`fixture push failed: ${pushed.body}`);
  }
  return { api, app: api.app, tokens, as };
}

/** Values for a route's path params, so every route can be called (what they name need not exist). */
const PATH_VALUES: Readonly<Record<string, string>> = {
  workflowId: 'wf-other',
  instanceId: '1',
  run: '1',
  version: 'latest',
  action: 'stop',
  id: 'nope',
};

/** A request for `method url` (a route pattern) with its params filled in and a small JSON body when it takes one. */
export function requestFor(method: string, url: string, headers: Record<string, string>): InjectOptions {
  const path = url
    .replace(/:([A-Za-z]+)/g, (_, name: string) => PATH_VALUES[name] ?? 'x')
    .replace(/\*$/, 'index.html');
  const hasBody = method !== 'GET' && method !== 'HEAD' && method !== 'DELETE';
  return {
    method: method as NonNullable<InjectOptions['method']>,
    url: path,
    headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(hasBody ? { payload: '{}' } : {}),
  };
}
