// Migrations are applied in list order: a list merged out of order (two branches appending at once) would apply a
// newer migration before an older one on a fresh database, and record them out of order.
import { describe, expect, it } from 'vitest';
import { MIGRATIONS as PG } from '../../src/store/postgres/migrations/index.js';
import { MIGRATIONS as SQLITE } from '../../src/store/sqlite/migrations/index.js';

describe('migration lists', () => {
  for (const [adapter, list] of [
    ['sqlite', SQLITE],
    ['postgres', PG],
  ] as const) {
    it(`${adapter}: in increasing version order, each named after its number`, () => {
      const versions = list.map((m) => m.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
      for (const m of list)
        expect(m.name.startsWith(String(m.version).padStart(4, '0') + '-'), m.name).toBe(true);
    });
  }
});
