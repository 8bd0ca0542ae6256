/**
 * Signal sources (decision 0018): the messages a source could not turn into a signal, kept with the reason. A
 * message with a broker id is parked once per source (a redelivery after a lost ack finds its row).
 */
export const MIGRATION_0014_SOURCE_PARKED = `
CREATE TABLE source_parked (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source     TEXT   NOT NULL,
  message_id TEXT,
  body       TEXT   NOT NULL,
  encoding   TEXT   NOT NULL CHECK (encoding IN ('utf8', 'base64')),
  reason     TEXT   NOT NULL,
  details    JSONB  NOT NULL,
  parked_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX source_parked_message ON source_parked (source, message_id);
CREATE INDEX source_parked_source ON source_parked (source, id);
`;
