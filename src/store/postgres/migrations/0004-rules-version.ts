/**
 * A transition reads its workflow's rules (properties, breakpoints, tag limits) on every hop; they rarely change. One
 * counter, moved in the same transaction as every change of them and read with the run lock, tells the engine
 * whether rules it read in an earlier transaction are still current. Nothing to carry over: engine caches start
 * empty, and any version works as the first.
 */
export const MIGRATION_0004_RULES_VERSION = `
CREATE TABLE rules_version (
  id INT PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO rules_version (id, version) VALUES (1, 1);
`;
