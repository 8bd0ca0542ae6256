import type { QueryResultRow } from 'pg';
import type { QueryName } from './sql.js';

/** Runs one named statement of `sql.ts` in the current transaction. */
export type Query = <R extends QueryResultRow = QueryResultRow>(
  name: QueryName,
  values: unknown[],
) => Promise<{ rows: R[]; count: number }>;
