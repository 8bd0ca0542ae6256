import type { Migration } from '../../migration.js';
import { MIGRATION_0001_INITIAL } from './0001-initial.js';
import { MIGRATION_0002_CLAIM_INDEXES } from './0002-claim-indexes.js';
import { MIGRATION_0003_RUN_UNBLOCKED } from './0003-run-unblocked.js';
import { MIGRATION_0004_RULES_VERSION } from './0004-rules-version.js';
import { MIGRATION_0007_TOKENS } from './0007-tokens.js';
import { MIGRATION_0005_LISTINGS } from './0005-listings.js';
import { MIGRATION_0006_EVENT_RELAY } from './0006-event-relay.js';
import { MIGRATION_0008_TIME_TRIGGERS } from './0008-time-triggers.js';
import { MIGRATION_0009_SIGNALS } from './0009-signals.js';
import { MIGRATION_0010_SIGNAL_WAITS } from './0010-signal-waits.js';
import { MIGRATION_0011_SOURCE_PARKED } from './0011-source-parked.js';
import { MIGRATION_0012_RUN_PARENT } from './0012-run-parent.js';

/**
 * Every migration, in order. The SQL lives in TypeScript string constants so `tsc` ships it with the build (it does
 * not copy .sql files). Append only: an applied migration is never edited, a change is a new number.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-initial', sql: MIGRATION_0001_INITIAL },
  { version: 2, name: '0002-claim-indexes', sql: MIGRATION_0002_CLAIM_INDEXES },
  { version: 3, name: '0003-run-unblocked', sql: MIGRATION_0003_RUN_UNBLOCKED },
  { version: 4, name: '0004-rules-version', sql: MIGRATION_0004_RULES_VERSION },
  { version: 5, name: '0005-listings', sql: MIGRATION_0005_LISTINGS },
  { version: 6, name: '0006-event-relay', sql: MIGRATION_0006_EVENT_RELAY },
  { version: 7, name: '0007-tokens', sql: MIGRATION_0007_TOKENS },
  { version: 8, name: '0008-time-triggers', sql: MIGRATION_0008_TIME_TRIGGERS },
  { version: 9, name: '0009-signals', sql: MIGRATION_0009_SIGNALS },
  { version: 10, name: '0010-signal-waits', sql: MIGRATION_0010_SIGNAL_WAITS },
  { version: 11, name: '0011-source-parked', sql: MIGRATION_0011_SOURCE_PARKED },
  { version: 12, name: '0012-run-parent', sql: MIGRATION_0012_RUN_PARENT },
];
