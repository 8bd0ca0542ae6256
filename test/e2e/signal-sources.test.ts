// `baton server` with the scheduler and api roles reads the sources of its events file: it subscribes to a Redis
// stream, serves a signed webhook, parks what it cannot use where the API lists it, and stops cleanly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookSignature } from '../../src/events/index.js';
import { redisService } from '../events/services.js';
import { baton, exitOf, killLeftovers, until } from './processes.js';

const service = await redisService();
if (service.url === undefined) console.log(service.skipReason.replace('sink suite', 'source suite'));
afterEach(killLeftovers);

describe.skipIf(service.url === undefined)('baton server with signal sources', () => {
  it('subscribes with the scheduler role, stores signals, serves the webhook with the api role, parks malformed messages', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-sources-e2e-'));
    const stream = `baton-e2e-${randomBytes(4).toString('hex')}`;
    const secret = 'an-e2e-secret-of-some-length';
    const redis = new Redis(service.url!);
    try {
      writeFileSync(
        path.join(dir, 'events.yaml'),
        `sources:
  - { name: lake, type: redis, url: "${service.url}", stream: ${stream}, signal: { name: file_landed, params: { path: /path } } }
  - { name: partner, type: webhook, secret: "\${env:PARTNER_SECRET}", signal: { name_from: /kind } }
`,
      );
      const server = baton(
        [
          'server',
          '--roles',
          'scheduler,api',
          '--db',
          path.join(dir, 'baton.db'),
          '--port',
          '0',
          '--events',
          'events.yaml',
        ],
        dir,
        { PARTNER_SECRET: secret },
      );
      const url = await until(
        'the server to serve',
        () => /Baton is serving (http:\S+)/.exec(server.stdout())?.[1],
      );
      await until('the source to subscribe', () =>
        server.stderr().includes('signals from lake (redis)') ? true : undefined,
      );
      await until('the group', async () => ((await redis.exists(stream)) === 1 ? true : undefined));
      await redis.xadd(stream, '*', 'size', '10'); // no path
      const parked = async (source: string) =>
        (
          (await (await fetch(`${url}/api/v3/signals/sources/${source}/parked`)).json()) as {
            elements: { reason: string }[];
          }
        ).elements;
      expect(
        (
          await until('the entry parked', async () =>
            (await parked('lake')).length === 1 ? parked('lake') : undefined,
          )
        )[0],
      ).toMatchObject({ reason: "param 'path': the message has nothing at /path" });

      // A good entry becomes a signal in the store (acked after its commit).
      await redis.xadd(stream, '*', 'path', '/lake/day=20261207');
      const stored = await until('the signal stored', async () => {
        const answer = await fetch(`${url}/api/v3/signals/file_landed/instances/latest`);
        return answer.status === 200 ? ((await answer.json()) as { params: unknown }) : undefined;
      });
      expect(stored.params).toEqual({ path: '/lake/day=20261207' });

      const body = '{"batch": 7}';
      const ts = String(Date.now());
      const answer = await fetch(`${url}/api/v3/signals/sources/partner/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'baton-timestamp': ts,
          'baton-signature': webhookSignature(secret, ts, body),
        },
        body,
      });
      expect(answer.status).toBe(400);
      expect((await parked('partner')).map((p) => p.reason)).toEqual([
        'the message has no signal name: nothing at /kind',
      ]);

      server.child.kill('SIGTERM');
      expect(await exitOf(server)).toBe(0);
      expect(((await redis.xpending(stream, 'baton')) as [number])[0]).toBe(0);
    } finally {
      await redis.del(stream);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
