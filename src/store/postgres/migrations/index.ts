import type { Migration } from '../../migration.js';
import { MIGRATION_0001_INITIAL } from './0001-initial.js';

/** Every PostgreSQL migration, in order. Append only: an applied migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-initial', sql: MIGRATION_0001_INITIAL },
];
