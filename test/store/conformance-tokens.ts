import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/model/errors.js';
import type { NewToken } from '../../src/store/port.js';
import { inTx, T0, type GetStore } from './fixtures.js';

function newToken(overrides: Partial<NewToken> = {}): NewToken {
  return {
    id: 'tok1',
    name: 'alice',
    role: 'operator',
    secret_hash: 'a'.repeat(64),
    create_time: T0,
    ...overrides,
  };
}

export function tokenConformance(store: GetStore): void {
  describe('API tokens', () => {
    it('stores a token and finds it by id, with no use or revoke time yet', async () => {
      const token = newToken();
      expect(await inTx(store, (tx) => tx.insertToken(token))).toEqual(token);
      expect(await inTx(store, (tx) => tx.getToken('tok1'))).toEqual(token);
      expect(await inTx(store, (tx) => tx.getToken('nope'))).toBeUndefined();
    });

    it('refuses a second token with the same id and keeps the first as it was', async () => {
      await inTx(store, (tx) => tx.insertToken(newToken()));
      await expect(
        inTx(store, (tx) => tx.insertToken(newToken({ name: 'mallory', role: 'admin' }))),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await inTx(store, (tx) => tx.getToken('tok1'))).toMatchObject({
        name: 'alice',
        role: 'operator',
      });
    });

    it('lists every token oldest first, revoked ones included', async () => {
      await inTx(store, async (tx) => {
        await tx.insertToken(newToken({ id: 'b', create_time: T0 + 2 }));
        await tx.insertToken(newToken({ id: 'a', create_time: T0 + 1, role: 'viewer' }));
        await tx.insertToken(newToken({ id: 'c', create_time: T0 + 3, role: 'admin' }));
        await tx.revokeToken('b', T0 + 10);
      });
      const list = await inTx(store, (tx) => tx.listTokens());
      expect(list.map((t) => [t.id, t.role, t.revoke_time])).toEqual([
        ['a', 'viewer', undefined],
        ['b', 'operator', T0 + 10],
        ['c', 'admin', undefined],
      ]);
    });

    it('revokes once: the first revoke time stays, and an unknown id revokes nothing', async () => {
      await inTx(store, (tx) => tx.insertToken(newToken()));
      expect(await inTx(store, (tx) => tx.revokeToken('tok1', T0 + 5))).toBe(true);
      expect(await inTx(store, (tx) => tx.revokeToken('tok1', T0 + 9))).toBe(false);
      expect(await inTx(store, (tx) => tx.revokeToken('nope', T0 + 9))).toBe(false);
      expect((await inTx(store, (tx) => tx.getToken('tok1')))?.revoke_time).toBe(T0 + 5);
    });

    it('records the latest use only: an earlier time does not move it back', async () => {
      await inTx(store, (tx) => tx.insertToken(newToken()));
      await inTx(store, (tx) => tx.touchToken('tok1', T0 + 100));
      await inTx(store, (tx) => tx.touchToken('tok1', T0 + 50));
      expect((await inTx(store, (tx) => tx.getToken('tok1')))?.last_used_time).toBe(T0 + 100);
      await inTx(store, (tx) => tx.touchToken('nope', T0 + 100));
    });

    it('writes nothing when the transaction fails', async () => {
      await expect(
        inTx(store, async (tx) => {
          await tx.insertToken(newToken());
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await inTx(store, (tx) => tx.listTokens())).toEqual([]);
    });
  });
}
