import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { authOptionsFromEnv, installAuth } from '../../src/server/auth.js';
import { createApiToken } from '../../src/server/tokens.js';
import { openApi, type ApiHarness } from './api-harness.js';
import { openAuthWorld, workflowJson, type AuthWorld } from './auth-support.js';

let world: AuthWorld | undefined;
let plain: ApiHarness | undefined;
afterEach(async () => {
  await world?.api.close();
  await plain?.close();
  world = plain = undefined;
});

const START = (id: string) => `/api/v3/workflows/${id}/versions/latest/actions/start`;
const json = { 'content-type': 'application/json' };

describe('the owner rule', () => {
  it("lets a viewer who owns a workflow start, stop and restart its instances, and nothing of another's", async () => {
    const w = (world = await openAuthWorld());
    const owner = w.as(w.tokens.owner);
    const started = await w.app.inject({
      method: 'POST',
      url: START('wf-owned'),
      headers: { ...owner, ...json },
      payload: '{}',
    });
    expect(started.statusCode).toBe(201);
    await w.api.baton.engine.waitForEnd({ workflow_id: 'wf-owned', instance_id: 1, run_id: 1 });
    const restarted = await w.app.inject({
      method: 'POST',
      url: '/api/v3/workflows/wf-owned/instances/1/actions/restart',
      headers: { ...owner, ...json },
      payload: '{"restart_policy": "RESTART_FROM_BEGINNING"}',
    });
    expect(restarted.statusCode).toBe(201);
    await w.api.baton.engine.waitForEnd({ workflow_id: 'wf-owned', instance_id: 1, run_id: 2 });
    // The run has ended: past auth, the action is refused for its status (409), not for the caller (403).
    const stop = await w.app.inject({
      method: 'PUT',
      url: '/api/v3/workflows/wf-owned/instances/1/actions/stop',
      headers: owner,
    });
    expect(stop.statusCode, stop.body).toBe(409);

    const other = await w.app.inject({
      method: 'POST',
      url: START('wf-other'),
      headers: { ...owner, ...json },
      payload: '{}',
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toContain("the operator role or the workflow's owner");
    const viewer = await w.app.inject({
      method: 'POST',
      url: START('wf-owned'),
      headers: { ...w.as(w.tokens.viewer), ...json },
      payload: '{}',
    });
    expect(viewer.statusCode).toBe(403);
    // Owning a workflow is not being an admin: a new version is still an admin's to push.
    const push = await w.app.inject({
      method: 'POST',
      url: '/api/v3/workflows',
      headers: { ...owner, ...json },
      payload: workflowJson('wf-owned', 'olga'),
    });
    expect(push.statusCode).toBe(403);
  });

  it('sees a change of owner pushed through this process at once', async () => {
    const w = (world = await openAuthWorld());
    const start = () =>
      w.app.inject({
        method: 'POST',
        url: START('wf-owned'),
        headers: { ...w.as(w.tokens.owner), ...json },
        payload: '{}',
      });
    expect((await start()).statusCode).toBe(201);
    const pushed = await w.app.inject({
      method: 'POST',
      url: '/api/v3/workflows',
      headers: { ...w.as(w.tokens.admin), ...json },
      payload: workflowJson('wf-owned', 'someone-else'),
    });
    expect(pushed.statusCode).toBe(200);
    expect((await start()).statusCode).toBe(403);
  });
});

describe('tokens', () => {
  it('names the caller by the token, whatever the user header says', async () => {
    const w = (world = await openAuthWorld());
    const started = await w.app.inject({
      method: 'POST',
      url: START('wf-other'),
      headers: { ...w.as(w.tokens.operator), user: 'mallory', ...json },
      payload: '{}',
    });
    expect(started.statusCode).toBe(201);
    expect(started.json().timeline_event.message).toBe(
      'Manually run a new workflow instance by a user [oscar]',
    );
  });

  it('refuses a revoked token at once, and a token whose secret is wrong', async () => {
    const w = (world = await openAuthWorld());
    const admin = w.as(w.tokens.admin);
    const made = await w.app.inject({
      method: 'POST',
      url: '/api/v3/tokens',
      headers: { ...admin, ...json },
      payload: '{"name": "ci", "role": "operator"}',
    });
    expect(made.statusCode).toBe(201);
    const { id, token } = made.json() as { id: string; token: string };
    const read = (t: string) =>
      w.app.inject({ method: 'GET', url: '/api/v3/workflows/wf-other/versions/latest', headers: w.as(t) });
    expect((await read(token)).statusCode).toBe(200);
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect((await read(wrong)).statusCode).toBe(401);

    const revoked = await w.app.inject({ method: 'DELETE', url: `/api/v3/tokens/${id}`, headers: admin });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id, revoked: true });
    const after = await read(token);
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer realm="baton"');
    expect(after.json()).toMatchObject({ status: 'UNAUTHORIZED', errors: [{ code: 'UNAUTHENTICATED' }] });
    const unknown = await w.app.inject({ method: 'DELETE', url: '/api/v3/tokens/nope', headers: admin });
    expect(unknown.statusCode).toBe(404);
  });

  it('lists tokens without their secrets or hashes, and records when each was last used', async () => {
    const w = (world = await openAuthWorld());
    const listed = await w.app.inject({
      method: 'GET',
      url: '/api/v3/tokens',
      headers: w.as(w.tokens.admin),
    });
    expect(listed.statusCode).toBe(200);
    const tokens = listed.json().tokens as Record<string, unknown>[];
    // made in the same millisecond: in the order of their (random) ids
    expect(tokens.map((t) => `${String(t['name'])}:${String(t['role'])}`).sort()).toEqual([
      'ada:admin',
      'olga:viewer',
      'oscar:operator',
      'vera:viewer',
    ]);
    const stored = await w.api.baton.store.transact((tx) => tx.listTokens());
    for (const secret of [...Object.values(w.tokens), ...stored.map((t) => t.secret_hash)]) {
      expect(listed.body).not.toContain(secret);
      expect(listed.body).not.toContain(secret.split('.').at(-1));
    }
    expect(tokens.find((t) => t['name'] === 'ada')).toHaveProperty('last_used_time');
    expect(tokens.find((t) => t['name'] === 'vera')).not.toHaveProperty('last_used_time');
  });

  it('refuses a token request with a bad name or role, and stores nothing', async () => {
    const w = (world = await openAuthWorld());
    for (const payload of [
      '{"name": "", "role": "admin"}',
      '{"name": "x", "role": "root"}',
      '{"role": "admin"}',
    ]) {
      const answer = await w.app.inject({
        method: 'POST',
        url: '/api/v3/tokens',
        headers: { ...w.as(w.tokens.admin), ...json },
        payload,
      });
      expect(answer.statusCode, payload).toBe(400);
      expect(answer.json().errors[0].code).toBe('VALIDATION_FAILED');
    }
    expect(await w.api.baton.store.transact((tx) => tx.listTokens())).toHaveLength(4);
  });

  it('keeps every token out of the log, those it refuses and the one it makes included', async () => {
    const lines: string[] = [];
    // A careless log line that logs every header: the Authorization header is redacted all the same.
    const logHeaders = (app: FastifyInstance) =>
      app.addHook('onRequest', async (request) => {
        request.log.info({ headers: request.headers, request: { headers: request.headers } }, 'headers');
      });
    const w = (world = await openAuthWorld({ write: (line) => void lines.push(line) }, logHeaders));
    const made = await w.app.inject({
      method: 'POST',
      url: '/api/v3/tokens',
      headers: { ...w.as(w.tokens.admin), ...json },
      payload: '{"name": "ci", "role": "viewer"}',
    });
    const fresh = made.json().token as string;
    const bad = 'baton.0123456789ab.' + 'y'.repeat(43);
    for (const token of [fresh, bad, w.tokens.viewer, 'not-even-a-token'])
      await w.app.inject({ method: 'GET', url: '/api/v3/tokens', headers: w.as(token) });
    expect(lines.length).toBeGreaterThan(5);
    const log = lines.join('');
    expect(log).toContain('/api/v3/tokens');
    expect(log).toContain('"headers":{"authorization":"[redacted]"');
    expect(log).toContain('"request":{"headers":{"authorization":"[redacted]"');
    for (const secret of [fresh, bad, ...Object.values(w.tokens)]) {
      expect(log).not.toContain(secret.split('.').at(-1));
    }
  });
});

describe('with auth off (the embedded default)', () => {
  it('lets anyone do anything, named by the user header', async () => {
    const api = (plain = await openApi());
    const pushed = await api.app.inject({
      method: 'POST',
      url: '/api/v3/workflows',
      headers: { user: 'tester', ...json },
      payload: workflowJson('wf', 'someone'),
    });
    expect(pushed.statusCode).toBe(200);
    expect(pushed.json().workflow_definition.metadata.version_author).toBe('tester');
    const made = await api.app.inject({
      method: 'POST',
      url: '/api/v3/tokens',
      headers: json,
      payload: '{"name": "ci", "role": "admin"}',
    });
    expect(made.statusCode).toBe(201);
  });
});

describe('route declarations', () => {
  const deps = async () => {
    plain = await openApi();
    return { engine: plain.baton.engine, store: plain.baton.store, clock: plain.baton.clock };
  };

  it('fail the build of an app with a /api/v3 route that declares no role', async () => {
    const app = Fastify();
    installAuth(app, await deps(), { mode: 'off' });
    await expect(
      app.register(async (scope) => scope.get('/things', async () => ({})), { prefix: '/api/v3' }),
    ).rejects.toThrow(
      "route GET /api/v3/things declares no role: add config: { role: 'viewer' | 'operator' | 'admin' }",
    );
    await app.close();
  });

  it('fail for an unknown role, and for owner: true where no workflow is in the path', async () => {
    const app = Fastify();
    installAuth(app, await deps(), { mode: 'on' });
    expect(() => app.get('/api/v3/x', { config: { role: 'root' as 'admin' } }, async () => ({}))).toThrow(
      "declares role 'root'",
    );
    expect(() =>
      app.post('/api/v3/y', { config: { role: 'operator', owner: true } }, async () => ({})),
    ).toThrow('owner: true needs');
    await app.close();
  });

  it('let a route outside /api/v3 be public by saying so, and need a viewer when it says nothing', async () => {
    const api = await deps();
    const app = Fastify();
    installAuth(app, api, { mode: 'on' });
    app.get('/healthz', { config: { role: 'public' } }, async () => ({ ok: true }));
    app.get('/metrics', async () => 'up 1');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const { token } = await createApiToken(api, { name: 'prom', role: 'viewer' });
    const scraped = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(scraped.statusCode).toBe(200);
    await app.close();
  });
});

describe('BATON_AUTH', () => {
  it('is off unless on, and anything else is an error that says what it takes', () => {
    expect(authOptionsFromEnv({})).toEqual({ mode: 'off' });
    expect(authOptionsFromEnv({ BATON_AUTH: 'off' })).toEqual({ mode: 'off' });
    expect(authOptionsFromEnv({ BATON_AUTH: ' ON ' })).toEqual({ mode: 'on' });
    expect(authOptionsFromEnv({ BATON_AUTH: 'yes' })).toEqual({
      error: "BATON_AUTH must be 'on' or 'off', not 'yes'",
    });
  });
});
