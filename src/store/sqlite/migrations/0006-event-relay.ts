/**
 * The event relay (docs/decisions/0014-event-relay.md): events move out of the outbox into one queue per sink, and a
 * sink is owned by one relay at a time through a lease row. One process writes a SQLite file, so takes need no lock
 * row of their own (transactions there run one at a time).
 */
export const MIGRATION_0006_EVENT_RELAY = `
CREATE TABLE event_delivery (
  sink        TEXT    NOT NULL,
  id          INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  payload     TEXT    NOT NULL,
  create_time INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  parked_at   INTEGER,
  PRIMARY KEY (sink, id)
) STRICT;
CREATE INDEX event_delivery_parked ON event_delivery (sink, id) WHERE parked_at IS NOT NULL;
CREATE TABLE relay_lease (
  name        TEXT    NOT NULL PRIMARY KEY,
  owner       TEXT    NOT NULL,
  lease_until INTEGER NOT NULL
) STRICT;
`;
