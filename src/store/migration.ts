import { IllegalStateError } from '../model/errors.js';

/** A numbered schema migration; each adapter keeps its own list (its SQL differs). Append only. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Refuses a database whose recorded migrations this code does not know (written by a newer Baton) or knows under
 * another name, rather than using it with the wrong assumptions.
 */
export function checkApplied(
  applied: readonly { version: number; name: string }[],
  migrations: readonly Migration[],
): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const migration = known.get(row.version);
    if (!migration) {
      const latest = migrations.at(-1)?.version ?? 0;
      throw new IllegalStateError(
        `the database schema is at version ${row.version} (${row.name}) but this Baton knows migrations up to ${latest}; upgrade Baton to open it`,
      );
    }
    if (migration.name !== row.name) {
      throw new IllegalStateError(
        `schema migration ${row.version} was applied as '${row.name}' but this Baton calls it '${migration.name}'`,
      );
    }
  }
}
