import { MIGRATION_0001_INITIAL } from './0001-initial.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Every migration, in order. The SQL lives in TypeScript string constants so `tsc` ships it with the build (it does
 * not copy .sql files). Append only: an applied migration is never edited, a change is a new number.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-initial', sql: MIGRATION_0001_INITIAL },
];
