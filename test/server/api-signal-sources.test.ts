import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { webhookSignature } from '../../src/events/index.js';
import { buildApi } from '../../src/server/app.js';
import { openBaton, type Baton } from '../../src/server/compose.js';
import { createApiToken } from '../../src/server/tokens.js';
import { MapAnnouncer } from '../sources/support.js';

const SECRET = 'a-webhook-secret-of-some-length';
const clock = new FakeClock();
let baton: Baton;
let app: FastifyInstance;
let announcer: MapAnnouncer;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'baton-sources-'));
  baton = await openBaton({ db: path.join(dir, 'baton.db'), clock });
  announcer = new MapAnnouncer(clock);
  app = await buildApi(
    { engine: baton.engine, store: baton.store, clock },
    {
      auth: { mode: 'on' },
      sources: {
        announcer,
        config: [
          {
            name: 'landed',
            type: 'webhook',
            secret: SECRET,
            signal: { name_from: '/kind', params: { table: '/table' }, payload: '/details' },
          },
          { name: 'bus', type: 'redis', url: 'redis://x', stream: 's', signal: { name: 'x' } },
        ],
      },
    },
  );
});
afterEach(async () => {
  await app.close();
  await baton.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (
  body: string,
  { source = 'landed', at = clock.now(), secret = SECRET, id }: Partial<Record<string, string | number>> = {},
) =>
  app.inject({
    method: 'POST',
    url: `/api/v3/signals/sources/${source}/webhook`,
    headers: {
      'content-type': 'application/json',
      'baton-timestamp': String(at),
      'baton-signature': webhookSignature(String(secret), String(at), body),
      ...(id === undefined ? {} : { 'baton-event-id': String(id) }),
    },
    payload: body,
  });
const parked = async () =>
  (await baton.store.transact((tx) => tx.listParkedMessages('landed', 0, 100))).map((p) => p.reason);

describe('API: a webhook signal source', () => {
  const good = JSON.stringify({ kind: 'table_landed', table: 'sales', details: { rows: 10 } });

  it('announces a signed message without a token and answers after commit; a resend is DUPLICATED', async () => {
    const first = await post(good, { id: 'evt-1' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      status: 'CREATED',
      signal: {
        name: 'table_landed',
        params: { table: 'sales' },
        payload: { rows: 10 },
        instance_id: 'landed:evt-1',
      },
    });
    expect((await post(good, { id: 'evt-1' })).json()).toMatchObject({ status: 'DUPLICATED' });
    expect(announcer.signals.size).toBe(1);
  });

  it('refuses a wrong signature, a stale timestamp and missing headers with 401, parking nothing', async () => {
    expect((await post(good, { secret: 'another-secret-0123456789' })).statusCode).toBe(401);
    expect((await post(good, { at: clock.now() - 6 * 60_000 })).json()).toMatchObject({
      errors: [
        { code: 'UNAUTHENTICATED', message: expect.stringContaining('Baton-Timestamp is more than 5') },
      ],
    });
    const bare = await app.inject({
      method: 'POST',
      url: '/api/v3/signals/sources/landed/webhook',
      payload: good,
      headers: { 'content-type': 'application/json' },
    });
    expect(bare.statusCode).toBe(401);
    expect(announcer.calls).toBe(0);
    expect(await parked()).toEqual([]);
  });

  it('parks a malformed message and answers 400 with the reason; operators list and delete parked messages', async () => {
    const bad = await post('{"table": "sales"}');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      errors: [{ code: 'PARKED', message: 'the message has no signal name: nothing at /kind' }],
    });
    expect(await parked()).toEqual(['the message has no signal name: nothing at /kind']);
    const [first] = await baton.store.transact((tx) => tx.listParkedMessages('landed', 0, 1));
    const operator = await operatorToken();
    const list = await app.inject({
      method: 'GET',
      url: '/api/v3/signals/sources/landed/parked',
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(list.json()).toMatchObject({ elements: [{ source: 'landed', body: '{"table": "sales"}' }] });
    const remove = (id: number) =>
      app.inject({
        method: 'DELETE',
        url: `/api/v3/signals/sources/landed/parked/${id}`,
        headers: { authorization: `Bearer ${operator}` },
      });
    expect((await remove(first!.id)).statusCode).toBe(200);
    expect((await remove(first!.id)).statusCode).toBe(404);
  });

  it('answers 503 when the signal cannot be stored for now, and 404 for a source that is not a webhook', async () => {
    announcer.failNext();
    expect((await post(good)).statusCode).toBe(503);
    expect(await parked()).toEqual([]);
    expect((await post(good)).statusCode).toBe(200);
    expect((await post(good, { source: 'bus' })).statusCode).toBe(404);
    expect((await post(good, { source: 'nope' })).statusCode).toBe(404);
  });
});

async function operatorToken(): Promise<string> {
  return (await createApiToken({ store: baton.store, clock }, { name: 'ops', role: 'operator' })).token;
}
