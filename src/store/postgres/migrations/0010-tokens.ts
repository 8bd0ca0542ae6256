/**
 * API tokens (`baton token create`): the secret itself is never stored, only its SHA-256, so a copy of the database
 * gives nobody a token. A revoked token stays, with its revoke time, so `baton token ls` can show it.
 */
export const MIGRATION_0010_TOKENS = `
CREATE TABLE api_token (
  id             TEXT   NOT NULL PRIMARY KEY,
  name           TEXT   NOT NULL,
  role           TEXT   NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  secret_hash    TEXT   NOT NULL,
  create_time    BIGINT NOT NULL,
  last_used_time BIGINT,
  revoke_time    BIGINT
);
`;
