import * as crypto from 'node:crypto';
type Crypto = typeof crypto;
import { afterEach, describe, expect, it, vi } from 'vitest';
import { secretMatches, hashSecret } from '../../src/server/tokens.js';
import { openAuthWorld, type AuthWorld } from './auth-support.js';

// The real timingSafeEqual, watched: the test checks that every secret is compared through it, digest to digest.
vi.mock('node:crypto', async (original) => {
  const real = await original<Crypto>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

let world: AuthWorld | undefined;
afterEach(async () => {
  await world?.api.close();
  world = undefined;
  vi.mocked(crypto.timingSafeEqual).mockClear();
});

describe('secrets are compared in constant time', () => {
  it('compares 32-byte digests with timingSafeEqual, whatever the length of what was sent', () => {
    const stored = hashSecret('right-secret');
    expect(secretMatches(stored, 'right-secret')).toBe(true);
    for (const wrong of ['right-secreT', 'r', 'x'.repeat(10_000), ''])
      expect(secretMatches(stored, wrong)).toBe(false);
    // a stored hash that is not one (a damaged row) refuses, without a throw
    expect(secretMatches('abc', 'right-secret')).toBe(false);
    const calls = vi.mocked(crypto.timingSafeEqual).mock.calls;
    expect(calls).toHaveLength(6);
    for (const [a, b] of calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('checks every token a request brings that way, an unknown id included', async () => {
    const w = (world = await openAuthWorld());
    vi.mocked(crypto.timingSafeEqual).mockClear();
    const read = (token: string) =>
      w.app.inject({ method: 'GET', url: '/api/v3/tokens', headers: w.as(token) });
    expect((await read(w.tokens.admin)).statusCode).toBe(200);
    expect((await read(w.tokens.admin.slice(0, -2) + 'zz')).statusCode).toBe(401);
    expect((await read('baton.ffffffffffff.' + 'z'.repeat(43))).statusCode).toBe(401);
    expect(vi.mocked(crypto.timingSafeEqual).mock.calls).toHaveLength(3);
  });
});
