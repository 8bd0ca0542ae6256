import type { Migration } from '../../migration.js';
import { MIGRATION_0001_INITIAL } from './0001-initial.js';
import { MIGRATION_0002_RUN_UNBLOCKED, MIGRATION_0003_RUN_UNBLOCKED_BACKFILL } from './0002-run-unblocked.js';
import { MIGRATION_0004_RULES_VERSION } from './0004-rules-version.js';
import {
  MIGRATION_0005_PERMIT_WAITING,
  MIGRATION_0006_PERMIT_WAITING_BACKFILL,
} from './0005-permit-waiting.js';
import { MIGRATION_0010_TOKENS } from './0010-tokens.js';
import { MIGRATION_0007_LISTINGS, MIGRATION_0008_LISTINGS_BACKFILL } from './0007-listings.js';
import { MIGRATION_0009_EVENT_RELAY } from './0009-event-relay.js';
import { MIGRATION_0011_TIME_TRIGGERS } from './0011-time-triggers.js';
import { MIGRATION_0012_SIGNALS } from './0012-signals.js';
import { MIGRATION_0013_SIGNAL_WAITS } from './0013-signal-waits.js';
import { MIGRATION_0014_SOURCE_PARKED } from './0014-source-parked.js';
import { MIGRATION_0015_RUN_PARENT } from './0015-run-parent.js';

/** Every PostgreSQL migration, in order. Append only: an applied migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-initial', sql: MIGRATION_0001_INITIAL },
  { version: 2, name: '0002-run-unblocked', sql: MIGRATION_0002_RUN_UNBLOCKED },
  { version: 3, name: '0003-run-unblocked-backfill', sql: MIGRATION_0003_RUN_UNBLOCKED_BACKFILL },
  { version: 4, name: '0004-rules-version', sql: MIGRATION_0004_RULES_VERSION },
  { version: 5, name: '0005-permit-waiting', sql: MIGRATION_0005_PERMIT_WAITING },
  { version: 6, name: '0006-permit-waiting-backfill', sql: MIGRATION_0006_PERMIT_WAITING_BACKFILL },
  { version: 7, name: '0007-listings', sql: MIGRATION_0007_LISTINGS },
  { version: 8, name: '0008-listings-backfill', sql: MIGRATION_0008_LISTINGS_BACKFILL },
  { version: 9, name: '0009-event-relay', sql: MIGRATION_0009_EVENT_RELAY },
  { version: 10, name: '0010-tokens', sql: MIGRATION_0010_TOKENS },
  { version: 11, name: '0011-time-triggers', sql: MIGRATION_0011_TIME_TRIGGERS },
  { version: 12, name: '0012-signals', sql: MIGRATION_0012_SIGNALS },
  { version: 13, name: '0013-signal-waits', sql: MIGRATION_0013_SIGNAL_WAITS },
  { version: 14, name: '0014-source-parked', sql: MIGRATION_0014_SOURCE_PARKED },
  { version: 15, name: '0015-run-parent', sql: MIGRATION_0015_RUN_PARENT },
];
