// Several `baton server` processes on one PostgreSQL database all serve the API: a workflow pushed through one is
// started through another and read through the third, and the run ends whichever process ran it.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, hasPg, pgSchemaUrl, PG_SKIP_REASON } from '../support/postgres.js';
import { baton, exitOf, killLeftovers, until, type BatonProcess } from './processes.js';

if (!hasPg) console.log(`api-servers.test.ts ${PG_SKIP_REASON}`);
const schema = freshSchema('servers');
afterEach(killLeftovers);
afterAll(async () => {
  if (hasPg) await dropSchema(schema);
});

async function serving(p: BatonProcess): Promise<string> {
  return until('the server to serve', () => /Baton is serving (http:\S+)/.exec(p.stdout())?.[1]);
}

describe.skipIf(!hasPg)('baton server ×3 on one PostgreSQL database', () => {
  it('each serves the API for the runs of all', async () => {
    const db = pgSchemaUrl(schema);
    const servers = [0, 1, 2].map(() => baton(['server', '--db', db, '--port', '0']));
    const [a, b, c] = await Promise.all(servers.map(serving));
    const definition = {
      properties: { owner: 'ana' },
      workflow: {
        id: 'shared',
        steps: [
          { step: { id: 'a', type: 'NoOp', transition: { successors: { b: 'true' } } } },
          { step: { id: 'b', type: 'NoOp' } },
        ],
      },
    };
    const headers = { 'content-type': 'application/json', user: 'ana' };
    expect(
      (await fetch(`${a}/api/v3/workflows`, { method: 'POST', headers, body: JSON.stringify(definition) }))
        .status,
    ).toBe(200);
    for (let i = 0; i < 6; i++) {
      const started = await fetch(`${b}/api/v3/workflows/shared/versions/latest/actions/start`, {
        method: 'POST',
        headers,
        body: '{"initiator": {"type": "manual"}}',
      });
      expect(started.status).toBe(201);
    }
    const statuses = await until('every run to end', async () => {
      const page = (await (await fetch(`${c}/api/v3/workflows/shared/instances?first=10`)).json()) as {
        elements: { status: string }[];
      };
      const all = page.elements.map((e) => e.status);
      return all.length === 6 && all.every((s) => s === 'SUCCEEDED') ? all : undefined;
    });
    expect(statuses).toHaveLength(6);
    for (const p of servers) p.child.kill('SIGTERM');
    for (const p of servers) expect(await exitOf(p)).toBe(0);
  }, 60_000);
});
