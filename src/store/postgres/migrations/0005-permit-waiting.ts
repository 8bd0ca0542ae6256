/**
 * Reading a permit key's state took two statements: its count row locked, then the line (`permit` rows not granted)
 * read by a statement of its own (a subquery of the locking one would see the line as it was before the lock wait).
 * Now the count row also counts the holders waiting for the key, kept in the statements that take, give up and grant
 * places in line, so the locking statement alone answers. Schema change only: CockroachDB does not let a transaction
 * write a column it adds, so the next migration counts the places already in line.
 */
export const MIGRATION_0005_PERMIT_WAITING = `
ALTER TABLE permit_count ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;
`;

/** The places in line before migration 5, counted per key (a key waited for has a count row, but make sure). */
export const MIGRATION_0006_PERMIT_WAITING_BACKFILL = `
INSERT INTO permit_count (permit_key, held, waiting)
  SELECT permit_key, 0, count(*)::int FROM permit WHERE granted = false GROUP BY permit_key
  ON CONFLICT (permit_key) DO UPDATE SET waiting = excluded.waiting;
`;
