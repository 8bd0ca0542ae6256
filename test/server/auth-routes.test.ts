import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rank, type Access } from '../../src/server/access.js';
import { declaredRoutes } from '../../src/server/auth.js';
import { TOKEN_ROLES } from '../../src/store/port.js';
import { openAuthWorld, requestFor, type AuthWorld } from './auth-support.js';

let world: AuthWorld;
beforeAll(async () => {
  world = await openAuthWorld();
});
afterAll(async () => {
  await world.api.close();
});

/** Tokens by role that hold no workflow: the owner's token is tested on its own. */
const byRole = () => ({
  viewer: world.tokens.viewer,
  operator: world.tokens.operator,
  admin: world.tokens.admin,
});

describe('every route denies a caller without the role it declares (BATON_AUTH=on)', () => {
  it('finds the routes: every /api/v3 endpoint, the token endpoints and the OpenAPI pages', () => {
    const urls = declaredRoutes(world.app).map((r) => `${r.method} ${r.url}`);
    expect(urls).toContain('POST /api/v3/workflows');
    expect(urls).toContain('PUT /api/v3/workflows/:workflowId/instances/:instanceId/actions/:action');
    expect(urls).toContain('DELETE /api/v3/tokens/:id');
    expect(urls.some((u) => u.startsWith('GET /api/docs'))).toBe(true);
    expect(urls).toEqual(expect.arrayContaining(['GET /healthz', 'GET /readyz', 'GET /metrics']));
    expect(urls.length).toBeGreaterThan(15);
  });

  it('answers 401 without a token, 403 to every role below the declared one, and lets the declared role past', async () => {
    const checked: string[] = [];
    for (const route of declaredRoutes(world.app)) {
      const where = `${route.method} ${route.url} (needs ${route.role})`;
      const send = (token: string | undefined) =>
        world.app.inject(requestFor(route.method, route.url, world.as(token)));
      if (route.role === 'public') {
        expect((await send(undefined)).statusCode, where).not.toBe(401);
        continue;
      }
      // A HEAD answer has no body: its status says it all.
      const expectError = (
        answer: { statusCode: number; body: string },
        status: number,
        code: string,
        who: string,
      ) => {
        expect(answer.statusCode, `${where} ${who}`).toBe(status);
        if (route.method !== 'HEAD') {
          expect(JSON.parse(answer.body), `${where} ${who}`).toMatchObject({ errors: [{ code }] });
        }
      };
      expectError(await send(undefined), 401, 'UNAUTHENTICATED', 'without a token');
      expectError(
        await send('baton.000000000000.' + 'x'.repeat(43)),
        401,
        'UNAUTHENTICATED',
        'unknown token',
      );
      for (const role of TOKEN_ROLES) {
        const answer = await send(byRole()[role]);
        if (rank(role) < rank(route.role as Access)) {
          expectError(answer, 403, 'FORBIDDEN', `as ${role}`);
        } else {
          const why = `${where} as ${role}: ${answer.body.slice(0, 200)}`;
          expect([401, 403], why).not.toContain(answer.statusCode);
        }
      }
      checked.push(where);
    }
    expect(checked.length).toBeGreaterThan(10);
  });
});

describe('the roles routes declare follow the policy', () => {
  it('reads need a viewer (tokens an admin), changes an operator or more (validating changes nothing)', () => {
    for (const route of declaredRoutes(world.app)) {
      const where = `${route.method} ${route.url}`;
      const read =
        route.method === 'GET' || route.method === 'HEAD' || route.url.includes('/actions/validate');
      // Liveness says nothing but "up", and a probe carries no token (decision 0015).
      if (route.url === '/healthz') expect(route.role, where).toBe('public');
      // A source's webhook is signed: its HMAC replaces the token (decision 0018), checked by the route itself.
      else if (route.url === '/api/v3/signals/sources/:source/webhook')
        expect(route.role, where).toBe('public');
      else if (route.url.startsWith('/api/v3/tokens')) expect(route.role, where).toBe('admin');
      else if (read) expect(route.role, where).toBe('viewer');
      else expect(rank(route.role), where).toBeGreaterThanOrEqual(rank('operator'));
    }
  });

  it('pushing a definition is an admin’s; starting, stopping and restarting an operator’s or the owner’s', () => {
    const role = (method: string, url: string) =>
      declaredRoutes(world.app).find((r) => r.method === method && r.url === url);
    expect(role('POST', '/api/v3/workflows')).toMatchObject({ role: 'admin', owner: false });
    expect(role('POST', '/api/v3/workflows/yaml')).toMatchObject({ role: 'admin', owner: false });
    for (const url of [
      '/api/v3/workflows/:workflowId/versions/:version/actions/start',
      '/api/v3/workflows/:workflowId/instances/:instanceId/actions/restart',
    ])
      expect(role('POST', url), url).toMatchObject({ role: 'operator', owner: true });
    expect(role('PUT', '/api/v3/workflows/:workflowId/instances/:instanceId/actions/:action')).toMatchObject({
      role: 'operator',
      owner: true,
    });
  });
});
