import type { Migration } from '../../migration.js';
import { MIGRATION_0001_INITIAL } from './0001-initial.js';
import { MIGRATION_0002_RUN_UNBLOCKED, MIGRATION_0003_RUN_UNBLOCKED_BACKFILL } from './0002-run-unblocked.js';

/** Every PostgreSQL migration, in order. Append only: an applied migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-initial', sql: MIGRATION_0001_INITIAL },
  { version: 2, name: '0002-run-unblocked', sql: MIGRATION_0002_RUN_UNBLOCKED },
  { version: 3, name: '0003-run-unblocked-backfill', sql: MIGRATION_0003_RUN_UNBLOCKED_BACKFILL },
];
