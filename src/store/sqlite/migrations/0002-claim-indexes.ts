/**
 * Claims look at two small indexes instead of walking every due item: unleased items per kind in run_at order, and
 * leases in expiry order. Before this, a claim read past every leased item that was due (all running work), so its
 * cost grew with the backlog.
 */
export const MIGRATION_0002_CLAIM_INDEXES = `
DROP INDEX work_item_claim;
DROP INDEX work_item_lease;
CREATE INDEX work_item_unleased ON work_item (kind, run_at, id) WHERE lease_owner IS NULL;
CREATE INDEX work_item_lease ON work_item (lease_until, id) WHERE lease_owner IS NOT NULL;
`;
