import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { batchConformance } from './conformance-batches.js';
import { deletionConformance } from './conformance-deletion.js';
import { listingConformance } from './conformance-listings.js';
import { metricsConformance } from './conformance-metrics.js';
import { queueConformance } from './conformance-queue.js';
import { relayConformance } from './conformance-relay.js';
import { runConformance } from './conformance-runs.js';
import { scopeConformance } from './conformance-scope.js';
import { signalConformance } from './conformance-signals.js';
import { sourceConformance } from './conformance-sources.js';
import { signalWaitConformance } from './conformance-signal-waits.js';
import { strictQueueConformance } from './conformance-strict-queue.js';
import { timeTriggerConformance } from './conformance-time-triggers.js';
import { tokenConformance } from './conformance-tokens.js';
import { transactionConformance, type TransactionModel } from './conformance-transactions.js';
import { workflowChangeConformance } from './conformance-workflow-changes.js';
import { workflowConformance } from './conformance-workflows.js';

export { conformanceClock, T0 } from './fixtures.js';

/**
 * The Store port's behaviour, checked through the port only, so every adapter runs the same suite. `open` must
 * return a new, empty store whose clock is `conformanceClock` (the suite checks the times the store stamps); the
 * suite closes it after each test. `transactions` says how the store runs transactions that overlap in time.
 *
 * @example
 *   describeStoreConformance('sqlite :memory:', () => openSqliteStore({ clock: conformanceClock }, { path: ':memory:' }));
 */
export function describeStoreConformance(
  name: string,
  open: () => Promise<Store>,
  transactions: TransactionModel = 'serial',
): void {
  describe(`Store conformance: ${name}`, () => {
    let current: Store | undefined;
    const store = (): Store => {
      if (!current) throw new Error('no store is open');
      return current;
    };
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    workflowConformance(store);
    runConformance(store);
    strictQueueConformance(store);
    batchConformance(store);
    queueConformance(store);
    scopeConformance(store);
    relayConformance(store);
    transactionConformance(store, transactions);
    tokenConformance(store);
    signalConformance(store);
    signalWaitConformance(store);
    listingConformance(store);
    workflowChangeConformance(store);
    deletionConformance(store);
    metricsConformance(store);
    timeTriggerConformance(store);
    sourceConformance(store);
  });
}
