/**
 * Signal sources (decision 0018): the messages a source could not turn into a signal, kept with the reason. A
 * message with a broker id is parked once per source (a redelivery after a lost ack finds its row).
 */
export const MIGRATION_0011_SOURCE_PARKED = `
CREATE TABLE source_parked (
  id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  source     TEXT    NOT NULL,
  message_id TEXT,
  body       TEXT    NOT NULL,
  encoding   TEXT    NOT NULL CHECK (encoding IN ('utf8', 'base64')),
  reason     TEXT    NOT NULL,
  details    TEXT    NOT NULL,
  parked_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX source_parked_message ON source_parked (source, message_id);
CREATE INDEX source_parked_source ON source_parked (source, id);
`;
