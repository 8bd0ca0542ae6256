/**
 * The step attempt a run belongs to (a foreach iteration, a subworkflow; decision 0021), as JSON; NULL for a
 * top-level run.
 */
export const MIGRATION_0015_RUN_PARENT = `
ALTER TABLE run ADD COLUMN parent TEXT;
`;
