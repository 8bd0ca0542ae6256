import type { Clock } from '../../sel/index.js';
import type { Statements } from './sql.js';

/** What the transaction functions share: the prepared statements, the clock, and what the commit must announce. */
export interface TxContext {
  readonly stmts: Statements;
  readonly clock: Clock;
  /** Set when the transaction added claimable work, so the commit wakes `onWork` listeners. */
  workAdded: boolean;
}
